import { renderReadme } from './readme';

const MALICIOUS = [
  '# Title',
  '<script>window.pwned = 1</script>',
  '<iframe src="https://evil.example/"></iframe>',
  '<img src="x" onerror="window.pwned = 2">',
  '<a href="javascript:window.pwned = 3">click</a>',
  '[md link](javascript:window.pwned=4)',
  '<div onclick="window.pwned = 5" style="position:fixed">div</div>',
  '<a href="JaVaScRiPt&#58;alert(1)">entity</a>',
  '<svg><script>alert(1)</script></svg>',
  '<form action="https://evil.example/"><input name="password"></form>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
].join('\n\n');

describe('renderReadme', () => {
  const out = renderReadme(MALICIOUS);

  it('drops scripts, frames, plugins, forms and meta refreshes', () => {
    for (const tag of ['<script', '<iframe', '<svg', '<form', '<input', '<object', '<embed', '<meta', '<style']) expect(out.toLowerCase()).not.toContain(tag);
  });

  it('drops every event handler and inline style', () => {
    expect(out).not.toMatch(/\son\w+\s*=/i);
    expect(out).not.toMatch(/style=/i);
  });

  it('leaves no script URL in any attribute', () => {
    // The Markdown link markdown-it refuses stays as its text: only attributes could make it live.
    expect(out).not.toMatch(/(href|src|action|data)\s*=\s*"[^"]*(javascript|&#)/i);
    expect(out).toContain('<a rel="nofollow noopener noreferrer">click</a>');
    expect(out).toContain('<a rel="nofollow noopener noreferrer">entity</a>');
  });

  it('keeps the ordinary Markdown: headings, links with rel, code and images', () => {
    const ok = renderReadme('# Hello\n\nSee [docs](https://docs.example/a?b=1) and `code`.\n\n```js\nlet a = 1 < 2;\n```\n\n![logo](https://img.example/l.png)');
    expect(ok).toContain('<h1>Hello</h1>');
    expect(ok).toContain('<a href="https://docs.example/a?b=1" rel="nofollow noopener noreferrer">docs</a>');
    expect(ok).toContain('<code class="language-js">let a = 1 &lt; 2;');
    expect(ok).toContain('<img src="https://img.example/l.png" alt="logo" />');
  });
});
