import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';
import { chromiumVersion } from './browser';
import { pdftotextVersion } from './pdftotext';

/** What the figures were measured on: they mean little without it. */

export interface Machine {
  cores: number;
  cpu: string;
  memoryBytes: number;
  freeMemoryBytes: number;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews the figures. */
  loadAtStart: number;
  loadAtEnd: number | null;
  os: string;
  node: string;
  chromium: string;
  pdftotext: string | null;
  server: string;
}

export function describeMachine(server: string, chromium = chromiumVersion()): Machine {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAtStart: loadavg()[0],
    loadAtEnd: null,
    os: `${type()} ${release()}`,
    node: process.version,
    chromium,
    pdftotext: pdftotextVersion(),
    server,
  };
}

export function machineLines(machine: Machine): string[] {
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return [
    `Machine: ${machine.cores} cores (${machine.cpu}), ${gib(machine.memoryBytes)} memory (${gib(machine.freeMemoryBytes)} free at start), ${machine.os}`,
    `Load average (1 min): ${machine.loadAtStart.toFixed(2)} at start, ${machine.loadAtEnd?.toFixed(2) ?? '?'} at end`,
    `Node ${machine.node}; ${machine.chromium}; ${machine.pdftotext ?? 'pdftotext missing (sudo apt-get install poppler-utils)'}`,
    `App served by ${machine.server}`,
  ];
}
