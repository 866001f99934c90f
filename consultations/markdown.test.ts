import { Marked } from "marked";
import { activeContentIn, decodeEntities, XSS_CORPUS } from "../tests/fixtures/xss";
import { inertMarkdownSource, markdownToText, renderMarkdown } from "./markdown";

const ALLOWED_TAGS = new Set([
  "p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "blockquote", "code", "pre",
  "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
]);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = { a: ["href", "rel"], th: ["align"], td: ["align"] };

/**
 * Asserts that HTML is inert: every "<" opens an allowed tag (text "<" is escaped), every attribute is
 * on the allow-list, and no href carries a scheme other than http, https or mailto (after decoding
 * entities and dropping the whitespace and control characters browsers ignore), nor is protocol-relative.
 */
function expectInert(html: string): void {
  const tags = [...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>/g)];
  // no "<" that is not part of a recognised tag
  expect((html.match(/</g) ?? []).length).toBe(tags.length);
  for (const [, , rawName, rawAttributes] of tags) {
    const name = rawName.toLowerCase();
    expect(ALLOWED_TAGS.has(name), `tag <${name}> in ${html}`).toBe(true);
    const attributes = [...rawAttributes.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)];
    // everything inside the tag is name="value" pairs (nothing unquoted could smuggle an event handler)
    expect(rawAttributes.replace(/\s[^\s=]+(?:="[^"]*")?/g, "").trim()).toBe("");
    for (const [, attribute, value = ""] of attributes) {
      expect(ALLOWED_ATTRIBUTES[name] ?? [], `attribute ${attribute} on <${name}> in ${html}`).toContain(attribute.toLowerCase());
      if (attribute.toLowerCase() === "href") {
        // eslint-disable-next-line no-control-regex
        const href = decodeEntities(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
        expect(href.startsWith("//"), `protocol-relative href ${href}`).toBe(false);
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
        if (scheme !== undefined) expect(["http", "https", "mailto"]).toContain(scheme);
      }
    }
  }
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
}

describe("renderMarkdown: XSS corpus rendered inert", () => {
  const corpus = XSS_CORPUS;

  it.each(corpus)("%s", (_label, input) => {
    const html = renderMarkdown(input);
    expectInert(html);
  });

  it("raw HTML is shown as text, not dropped silently", () => {
    // script tags: escaped text, readable by the moderators
    expect(renderMarkdown("<script>alert(1)</script>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    // img onerror: text
    expect(renderMarkdown("<img src=x onerror=alert(1)>")).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("dangerous link targets lose their href but keep the text", () => {
    for (const input of ["[click](javascript:alert(1))", "[click](data:text/html,x)", "[click](vbscript:msgbox(1))", "[click](//evil.example)"]) {
      const html = renderMarkdown(input);
      expect(html).toContain(">click</a>");
      expect(html).not.toContain("href=");
    }
  });

  it("fullwidth lookalikes stay plain text", () => {
    expect(renderMarkdown("＜script＞alert(1)＜/script＞")).toBe("<p>＜script＞alert(1)＜/script＞</p>\n");
  });

  it("images are removed entirely (no tracking pixels)", () => {
    expect(renderMarkdown("![x](https://evil.example/track.png)")).not.toContain("evil.example");
  });
});

describe("renderMarkdown: allowed formatting is kept", () => {
  it("bold, emphasis and strikethrough", () => {
    expect(renderMarkdown("**bold** _em_ ~~gone~~")).toBe("<p><strong>bold</strong> <em>em</em> <del>gone</del></p>\n");
  });

  it("lists", () => {
    const html = renderMarkdown("- one\n- two\n\n1. first\n2. second");
    expect(html).toContain("<ul>\n<li>one</li>\n<li>two</li>\n</ul>");
    expect(html).toContain("<ol>\n<li>first</li>\n<li>second</li>\n</ol>");
  });

  it("links keep http(s)/mailto hrefs and get rel nofollow", () => {
    expect(renderMarkdown("[report](https://example.org/report)")).toBe(
      '<p><a href="https://example.org/report" rel="nofollow ugc noopener noreferrer">report</a></p>\n',
    );
    expect(renderMarkdown("[mail](mailto:team@example.org)")).toContain('href="mailto:team@example.org"');
    // bare URLs are linked (GFM) and also get rel
    expect(renderMarkdown("see https://example.org/a?b=1")).toContain(
      '<a href="https://example.org/a?b=1" rel="nofollow ugc noopener noreferrer">https://example.org/a?b=1</a>',
    );
  });

  it("a rel given by the author is replaced, never kept", () => {
    // (raw HTML cannot reach the sanitizer anyway; the transform forces rel on every link)
    expect(renderMarkdown("[x](https://example.org)")).toMatch(/rel="nofollow ugc noopener noreferrer"/);
  });

  it("h1 and h2 are demoted to h3; h3-h6 stay", () => {
    expect(renderMarkdown("# Title")).toBe("<h3>Title</h3>\n");
    expect(renderMarkdown("## Sub")).toBe("<h3>Sub</h3>\n");
    expect(renderMarkdown("#### Small")).toBe("<h4>Small</h4>\n");
    expect(renderMarkdown("Title\n=====")).toBe("<h3>Title</h3>\n");
  });

  it("blockquotes, code and line breaks", () => {
    expect(renderMarkdown("> quoted")).toContain("<blockquote>\n<p>quoted</p>\n</blockquote>");
    expect(renderMarkdown("`x = 1`")).toBe("<p><code>x = 1</code></p>\n");
    // breaks: true, one newline is a <br />
    expect(renderMarkdown("line one\nline two")).toMatch(/<p>line one<br \/>\s*line two<\/p>/);
  });

  it("'<3' and 'a < b' read as text", () => {
    expect(renderMarkdown("I <3 peer work and 2 < 3")).toBe("<p>I &lt;3 peer work and 2 &lt; 3</p>\n");
  });

  it("empty input renders nothing", () => {
    expect(renderMarkdown("")).toBe("");
  });
});

describe("markdownToText", () => {
  it("drops the markup and keeps the words", () => {
    expect(markdownToText("# Harm reduction\n\n**Safe** supply *now*, see [this](https://example.org).")).toBe(
      "Harm reduction Safe supply now, see this.",
    );
  });

  it("decodes the characters the renderer escaped", () => {
    expect(markdownToText("a < b & c <3 \"quoted\" 'single'")).toBe("a < b & c <3 \"quoted\" 'single'");
  });

  it("raw HTML comes out as its literal text, not as markup or nothing", () => {
    expect(markdownToText("<b>not bold</b>")).toBe("<b>not bold</b>");
  });

  it("collapses whitespace and list structure to single spaces", () => {
    expect(markdownToText("- one\n- two\n\n\nthree")).toBe("one two three");
  });

  it("drops images and the URL of links", () => {
    expect(markdownToText("![pixel](https://evil.example/p.png) [text](https://example.org)")).toBe("text");
  });
});

describe("inertMarkdownSource: user Markdown handed out as Markdown", () => {
  // A viewer that renders raw HTML and follows every link: the worst thing that may open the .md file.
  const naiveViewer = new Marked({ gfm: true, async: false });

  it.each(XSS_CORPUS)("%s stays inert in a viewer that sanitizes nothing", (_label, input) => {
    const html = naiveViewer.parse(inertMarkdownSource(input)) as string;
    expect(activeContentIn(html)).toEqual([]);
    expect(html).not.toMatch(/<(script|iframe|object|embed|img|svg|math|style|base|meta|form|details)\b/i);
  });

  it("leaves safe Markdown exactly as it was", () => {
    const safe = "## Peer work\n\n**Fair pay**, _training_ and [the charter](https://example.org/charter) (see `code`).\n\n- one\n- two\n\n> quoted";
    expect(inertMarkdownSource(safe)).toBe(safe);
  });

  it("keeps the text of what it defuses", () => {
    expect(inertMarkdownSource("[click here](javascript:alert(1))")).toBe("click here");
    expect(inertMarkdownSource("![a tracking pixel](https://evil.example/p.png)")).toBe("a tracking pixel");
    expect(inertMarkdownSource("<b>bold</b> text")).toBe("&lt;b&gt;bold&lt;/b&gt; text");
  });
});
