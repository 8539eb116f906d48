/**
 * HTML to plain text for mail that has no text/plain part (some mobile and web
 * clients). Tickets hold text only; the raw MIME, html included, stays in S3.
 * A small converter rather than a DOM library: mail html is shallow, and the
 * Lambda bundle stays small.
 *
 * It is a single forward scan, not a chain of regex replacements: anyone can
 * mail us html, and patterns like `<div[^>]*>` over input with many unclosed
 * tags backtrack quadratically (a 20 KB hostile body took 20 s), enough to time
 * the function out on every retry.
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  euro: '€',
  pound: '£',
  copy: '©',
  reg: '®',
  trade: '™',
};

/** Placeholders for block boundaries while the text is assembled (removed from the input first). */
const BLOCK = '\u0001';
const PARAGRAPH = '\u0002';

/** Html beyond this is not converted: it would yield far more than the text cap. */
const MAX_HTML_INPUT = 1_000_000;
/** Attributes are only looked for in a tag's first characters, which bounds the work per tag. */
const MAX_ATTRIBUTES_SCANNED = 2_000;

/** Elements whose content is never text. */
const SKIPPED = new Set(['head', 'script', 'style', 'title']);
/** Elements that start and end a line. */
const BLOCKS = new Set(['div', 'li', 'tr', 'table', 'blockquote', 'ul', 'ol', 'pre', 'section', 'article', 'header', 'footer', 'hr']);
/** Elements that end with a blank line. */
const PARAGRAPHS = /^(p|h[1-6])$/;

/**
 * Where the clients that send html-only mail put the quoted conversation:
 * Gmail's quote container (`class="gmail_quote"`), Apple Mail's cited
 * blockquote (`type="cite"`), Outlook's reply header (`id="divRplyFwdMsg"` or
 * `id="appendonsend"`). Everything from there on is history, not the
 * customer's new text. Plain substring checks: no backtracking per tag.
 */
function isQuoteContainer(tag: string): boolean {
  const t = tag.slice(0, MAX_ATTRIBUTES_SCANNED).toLowerCase();
  return (
    t.includes('gmail_quote') || t.includes('divrplyfwdmsg') || t.includes('appendonsend') || /\btype\s{0,3}=\s{0,3}["']?cite\b/.test(t)
  );
}

const TAG_NAME = /\/?([a-z][a-z0-9]*)/iy;

const codePoint = (n: number): string => (Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '');

/** Decodes the entities mail html actually uses; unknown names are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    return ref[1] === 'x' || ref[1] === 'X' ? codePoint(parseInt(ref.slice(2), 16)) : codePoint(parseInt(ref.slice(1), 10));
  });
}

/** What a tag contributes to the text: a line break, a paragraph end, a cell gap, or nothing. */
function tagText(name: string, closing: boolean): string {
  if (name === 'br') return '\n';
  if (name === 'li' && !closing) return `${BLOCK}• `;
  if (PARAGRAPHS.test(name)) return closing ? PARAGRAPH : BLOCK;
  if (BLOCKS.has(name)) return BLOCK;
  if ((name === 'td' || name === 'th') && closing) return ' ';
  return '';
}

/**
 * Readable text from an html body: scripts, styles, comments and the quoted
 * history go, block ends become line breaks, list items get a bullet, entities
 * are decoded and blank runs collapse. Linear in the input's length.
 */
export function htmlToText(html: string): string {
  // Only the start is kept anyway (the text is capped far below this).
  const input = (html.length > MAX_HTML_INPUT ? html.slice(0, MAX_HTML_INPUT) : html).replace(/[\u0001\u0002]/g, '');
  const out: string[] = [];
  let hasText = false;
  const text = (s: string) => {
    // Html whitespace is not significant; markup decides the lines.
    const collapsed = s.replace(/\s+/g, ' ');
    if (collapsed.trim()) hasText = true;
    out.push(collapsed);
  };
  // A search that failed once fails again further on: remembering that keeps the scan linear.
  const unclosed = new Set<string>();
  let noMoreGt = false;
  let i = 0;
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    if (lt < 0) {
      text(input.slice(i));
      break;
    }
    if (lt > i) text(input.slice(i, lt));
    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      i = end < 0 ? input.length : end + 3;
      continue;
    }
    TAG_NAME.lastIndex = lt + 1;
    const name = TAG_NAME.exec(input);
    const gt = name && !noMoreGt ? input.indexOf('>', lt + 1) : -1;
    if (!name || gt < 0) {
      // Not a tag ("a < b", or nothing ever closes it): a literal "<".
      if (name) noMoreGt = true;
      text('<');
      i = lt + 1;
      continue;
    }
    i = gt + 1;
    const tagName = name[1]!.toLowerCase();
    const closing = input[lt + 1] === '/';
    if (!closing && SKIPPED.has(tagName) && !unclosed.has(tagName)) {
      const end = new RegExp(`</${tagName}\\s*>`, 'gi');
      end.lastIndex = i;
      const found = end.exec(input);
      if (found) {
        i = found.index + found[0].length;
        continue;
      }
      unclosed.add(tagName);
    }
    if (!closing && (tagName === 'div' || tagName === 'blockquote') && hasText) {
      if (isQuoteContainer(input.slice(lt, Math.min(gt, lt + MAX_ATTRIBUTES_SCANNED)))) break;
    }
    out.push(tagText(tagName, closing));
  }
  return decodeEntities(
    out
      .join('')
      // Adjacent block boundaries (</div><div>) make one break, not several.
      .replace(/[ \u0001\u0002]+/g, (run) => (run.includes(PARAGRAPH) ? '\n\n' : run.includes(BLOCK) ? '\n' : ' ')),
  )
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
