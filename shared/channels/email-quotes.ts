/**
 * Strips the quoted history from a reply so the ticket shows what the customer
 * wrote this time. Conservative: it cuts at the first line that starts a quote
 * block in the forms mail clients write, and drops `>` lines.
 */
const QUOTE_HEADERS: RegExp[] = [
  /^On .{3,200}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook, older clients
  /^El .{3,200}escribió:\s*$/i,
  /^Le .{3,200}a écrit\s*:\s*$/i,
  /^Am .{3,200}schrieb .{0,200}:\s*$/i,
  /^Em .{3,200}escreveu:\s*$/i,
];

/** Outlook's "From: … / Sent: …" header block. */
const isOutlookBlock = (lines: string[], i: number) =>
  /^From:\s.+/i.test(lines[i] ?? '') && /^(Sent|Date):\s.+/i.test(lines[i + 1] ?? '');

export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    // Gmail wraps long "On … wrote:" lines; join with the next line to test.
    const joined = `${trimmed} ${(lines[i + 1] ?? '').trim()}`;
    if (QUOTE_HEADERS.some((re) => re.test(trimmed) || (/^On\s/i.test(trimmed) && re.test(joined)))) break;
    if (isOutlookBlock(lines, i)) break;
    if (trimmed.startsWith('>')) continue;
    kept.push(line);
  }
  const result = kept.join('\n').trim();
  // A message that is nothing but a quote keeps its text rather than becoming empty.
  return result || text.trim();
}
