import { describe, expect, it } from 'vitest';
import { parseDateText, parseIsoDate, parseJsDateString, parsePdfDate, parseRfc2822Date } from '../../web/lib/provenance/parse-date';

const local = (y: number, m1: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, m1 - 1, d, h, mi, s).getTime();

describe('date formats in saved files', () => {
  it('reads PDF dates with and without a time zone', () => {
    expect(parsePdfDate("D:20240303101500+01'00'")).toBe(Date.UTC(2024, 2, 3, 9, 15));
    expect(parsePdfDate("D:20240303101500-05'30")).toBe(Date.UTC(2024, 2, 3, 15, 45));
    expect(parsePdfDate('D:20240303101500Z')).toBe(Date.UTC(2024, 2, 3, 10, 15));
    expect(parsePdfDate("D:20240303101500Z00'00'")).toBe(Date.UTC(2024, 2, 3, 10, 15));
    expect(parsePdfDate('D:20240303')).toBe(local(2024, 3, 3));
    expect(parsePdfDate('D:2024')).toBe(local(2024, 1, 1));
  });

  it('refuses placeholder and impossible dates', () => {
    expect(parsePdfDate('D:19700101000000Z')).toBeUndefined();
    expect(parsePdfDate('D:20240231')).toBeUndefined();
    expect(parsePdfDate('yesterday')).toBeUndefined();
  });

  it('reads ISO 8601 dates, a date alone as local midnight', () => {
    expect(parseIsoDate('2024-03-03T10:15:00+01:00')).toBe(Date.UTC(2024, 2, 3, 9, 15));
    expect(parseIsoDate('2024-03-03T10:15:00.123Z')).toBe(Date.UTC(2024, 2, 3, 10, 15));
    expect(parseIsoDate('2024-03-03 10:15')).toBe(local(2024, 3, 3, 10, 15));
    expect(parseIsoDate('2024-03-03')).toBe(local(2024, 3, 3));
    expect(parseIsoDate('2024-13-03')).toBeUndefined();
  });

  it("reads an MHTML file's Date header", () => {
    expect(parseRfc2822Date('Sun, 3 Mar 2024 10:15:32 -0000')).toBe(Date.UTC(2024, 2, 3, 10, 15, 32));
    expect(parseRfc2822Date('Sun, 03 Mar 2024 10:15:32 +0100')).toBe(Date.UTC(2024, 2, 3, 9, 15, 32));
    expect(parseRfc2822Date('3 Mar 2024 10:15 GMT')).toBe(Date.UTC(2024, 2, 3, 10, 15));
    expect(parseRfc2822Date('Sun, 3 Mar 2024 10:15:32 PST')).toBe(Date.UTC(2024, 2, 3, 18, 15, 32));
  });

  it("reads JavaScript's Date.toString(), as SingleFile writes it", () => {
    expect(parseJsDateString('Sun Mar 03 2024 10:15:32 GMT+0100 (Central European Standard Time)')).toBe(Date.UTC(2024, 2, 3, 9, 15, 32));
    expect(parseJsDateString('Sun Mar 03 2024 10:15:32 GMT+0100 (Mitteleuropäische Normalzeit)')).toBe(Date.UTC(2024, 2, 3, 9, 15, 32));
    expect(parseJsDateString('Wed Sep 24 2025')).toBe(local(2025, 9, 24));
  });

  it('tries every format for free-form fields', () => {
    expect(parseDateText(' 2024-03-03 ')).toBe(local(2024, 3, 3));
    expect(parseDateText('Sun, 3 Mar 2024 10:15:32 +0000')).toBe(Date.UTC(2024, 2, 3, 10, 15, 32));
    expect(parseDateText("D:20240303101500+01'00'")).toBe(Date.UTC(2024, 2, 3, 9, 15));
    expect(parseDateText('last Tuesday')).toBeUndefined();
    expect(parseDateText('')).toBeUndefined();
  });
});
