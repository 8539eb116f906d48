import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../shared/channels/email-html';

describe('htmlToText', () => {
  it.each([
    ['divs and breaks keep line structure', '<div>a</div><div>b<br>c</div>', 'a\nb\nc'],
    ['paragraphs are separated by a blank line', '<p>one</p>\n<p>two</p>', 'one\n\ntwo'],
    ['source newlines are not line breaks', '<p>one\ntwo</p>', 'one two'],
    ['head, style, script and comments go', '<html><head><title>t</title><style>p{}</style></head><body><!-- c --><script>x()</script>hi</body></html>', 'hi'],
    ['list items get bullets', '<ul><li>one</li><li>two</li></ul>', '• one\n• two'],
    ['table cells are spaced', '<table><tr><td>a</td><td>b</td></tr></table>', 'a b'],
    ['Apple Mail cited blockquote is history', 'Yes<blockquote type="cite">old</blockquote>', 'Yes'],
    ['Outlook reply header is history', '<p>Fine</p><div id="divRplyFwdMsg">From: x</div>', 'Fine'],
    [
      'Gmail quote container is history',
      '<div dir="ltr">Thanks!</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, 1 Jan 2026 wrote:</div><blockquote class="gmail_quote">old</blockquote></div>',
      'Thanks!',
    ],
    ['a mail that is only a quote keeps it', '<div class="gmail_quote">On x wrote:<blockquote>hi</blockquote></div>', 'On x wrote:\nhi'],
    ['a "<" that starts no tag is text', 'a < b and c<1', 'a < b and c<1'],
    ['an unclosed comment hides the rest, as in a browser', 'a<!-- b', 'a'],
  ])('%s', (_name, html, text) => expect(htmlToText(html)).toBe(text));

  it('decodes named and numeric entities, leaving unknown ones as written', () => {
    expect(decodeEntities('a&nbsp;&amp;&lt;b&gt; &#8217;&#x20AC; &bogus; &#0;')).toBe("a &<b> ’€ &bogus; ");
  });

  // Hostile html once took 20 s for 20 KB (regex backtracking over unclosed tags); the scan is linear now.
  it.each([
    ['unclosed tags with attributes', '<div class=x '.repeat(80_000)],
    ['unclosed comments', '<!--'.repeat(250_000)],
    ['unclosed styles', '<style>a'.repeat(120_000)],
    ['tags that never close', 'x<a '.repeat(250_000)],
  ])('converts a megabyte of %s in well under a second', (_name, html) => {
    const started = performance.now();
    htmlToText(html);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('does not turn escaped markup back into tags', () => {
    expect(htmlToText('<p>&lt;script&gt;</p>')).toBe('<script>');
  });
});
