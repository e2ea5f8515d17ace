import { plural } from '../format';

/** What a restore did, for the page to say: apart from backup.ts, whose zip code loads only when a backup is made or restored. */

export interface ImportReport {
  documentsAdded: number;
  documentsAlreadyHere: number;
  conversationsAdded: number;
  conversationsCopied: number;
  settingsApplied: boolean;
  /** The documents added, with the library version each made, to index them. */
  added: { id: string; libraryVersion: number }[];
  /** Documents that could not be restored, and why; the others are restored all the same. */
  failed: { fileName: string; reason: string }[];
  conversationsFailed: number;
  settingsFailed: boolean;
}

/** What a restore did, in a sentence or two: what came in, what was already here, and what could not be restored and why. */
export function describeImport(report: ImportReport): string {
  const parts = [`Restored ${plural(report.documentsAdded, 'document')}`];
  if (report.documentsAlreadyHere) parts.push(`${plural(report.documentsAlreadyHere, 'document')} already here`);
  parts.push(plural(report.conversationsAdded + report.conversationsCopied, 'conversation'));
  if (report.conversationsCopied) parts.push(`${report.conversationsCopied} kept as copies beside yours`);
  let text = `${parts.join(', ')}.${report.settingsApplied ? ' Settings restored.' : ''}`;
  for (const { fileName, reason } of report.failed.slice(0, 3)) text += ` Could not restore ${fileName}: ${reason}.`;
  if (report.failed.length > 3) text += ` ${plural(report.failed.length - 3, 'other document')} could not be restored either.`;
  if (report.conversationsFailed > 0) text += ` ${plural(report.conversationsFailed, 'conversation')} could not be restored.`;
  if (report.settingsFailed) text += ' The settings could not be restored.';
  if (report.failed.length > 0 || report.conversationsFailed > 0 || report.settingsFailed) text += ' The rest of your library is as it was.';
  return text;
}

export function backupFileName(now = new Date()): string {
  return `memory-cache-backup-${now.toISOString().slice(0, 10)}.zip`;
}
