/**
 * Quoted-history stripping for email replies, so a ticket shows what the
 * customer wrote this time rather than the whole conversation again.
 *
 * Deliberately conservative: a wrongly kept quote costs an agent a scroll, a
 * wrongly cut sentence loses what the customer said. So it only cuts at the
 * attribution lines and header blocks that mail clients themselves write, never
 * at signatures, and never inside a forward (the customer wants us to read it).
 */

/** Attribution lines that start a quoted reply ("On <date>, <name> wrote:") in common client languages. */
const ATTRIBUTION: readonly RegExp[] = [
  /^On\s.{3,300}\swrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^El\s.{3,300}\sescribió:\s*$/i,
  /^Le\s.{3,300}\sa écrit\s?:\s*$/i,
  /^Am\s.{3,300}\sschrieb\s.{0,300}:\s*$/i,
  /^Em\s.{3,300}\sescreveu:\s*$/i,
  /^Il giorno\s.{3,300}\sha scritto:\s*$/i,
  /^Op\s.{3,300}\sschreef\s.{0,300}:\s*$/i,
];

/** Outlook and older clients: "-----Original Message-----" (and its translations). */
const ORIGINAL_MESSAGE = /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\s*$/i;

/**
 * The line Gmail, Apple Mail and Thunderbird put above a forwarded mail. What
 * follows looks like an Outlook reply header ("From: … / Date: …") but is the
 * content the customer forwarded for us to read, so it is kept whole.
 */
const FORWARD_MARKER =
  /^(-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|Début du message réexpédié\s?:)\s*$/i;

/** Outlook's rule line above its header block. */
const OUTLOOK_RULE = /^_{10,}\s*$/;

/** A forward's subject: its content is what the customer wants us to read, so it is kept. */
const FORWARD_SUBJECT = /^(Subject|Betreff|Objet|Asunto):\s*(FW|FWD|WG|TR|RV):/i;

/**
 * Outlook's quoted header block: "From: …" followed within two lines by
 * "Sent: …" / "Date: …", then "To:" or "Subject:" within the next few lines.
 * Requiring all three keeps a customer's own "From: my phone …" line intact.
 */
function outlookBlockAt(lines: readonly string[], i: number): 'reply' | 'forward' | undefined {
  const first = lines[i];
  if (first === undefined || !/^(From|Von|De):\s*\S/i.test(first.trim())) return undefined;
  const next = lines.slice(i + 1, i + 3).map((l) => l.trim());
  if (!next.some((l) => /^(Sent|Date|Gesendet|Envoyé|Enviado):\s*\S/i.test(l))) return undefined;
  const block = lines.slice(i + 1, i + 7).map((l) => l.trim());
  if (!block.some((l) => /^(To|Subject|An|Betreff|À|Objet|Para|Asunto):/i.test(l))) return undefined;
  return block.some((l) => FORWARD_SUBJECT.test(l)) ? 'forward' : 'reply';
}

/** True when lines[i] (possibly wrapped onto the next line, as Gmail does) is an attribution line. */
function attributionAt(lines: readonly string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (ATTRIBUTION.some((re) => re.test(line))) return true;
  const next = (lines[i + 1] ?? '').trim();
  return next.length > 0 && /^(On|El|Le|Am|Em|Il giorno|Op)\s/i.test(line) && ATTRIBUTION.some((re) => re.test(`${line} ${next}`));
}

/**
 * Returns `text` without the quoted history: everything from the first
 * attribution line, "Original Message" separator or Outlook reply header block
 * on, and every line starting with `>` before it. A forward (marker line or
 * Outlook "FW:" header block) and everything after it is kept as written. A
 * message that is nothing but a quote is returned whole (trimmed), because an
 * empty message would be worse.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (attributionAt(lines, i) || ORIGINAL_MESSAGE.test(line.trim())) break;
    const block = FORWARD_MARKER.test(line.trim()) ? 'forward' : outlookBlockAt(lines, i);
    if (block === 'reply') break;
    if (block === 'forward') {
      kept.push(...lines.slice(i));
      break;
    }
    // Outlook draws a rule above its header block; drop the rule with the block.
    if (OUTLOOK_RULE.test(line.trim()) && outlookBlockAt(lines, i + 1) === 'reply') break;
    if (line.trimStart().startsWith('>')) continue;
    kept.push(line);
  }
  const result = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return result || text.trim();
}
