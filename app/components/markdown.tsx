/**
 * Renders HTML produced on the server by the domain's Markdown renderer.
 *
 * SECURITY: `html` MUST be the output of the domain's Markdown renderer (marked + sanitize-html),
 * computed in a loader and passed down as a string. Never pass raw user input or HTML from
 * anywhere else: it is inserted as-is. Rendering happens on the server so marked and the sanitizer
 * never ship to the browser.
 */
export function Markdown({ html, className, lang }: { html: string; className?: string; /** The text's language, when known. */ lang?: string }) {
  return <div className={className ? `markdown ${className}` : "markdown"} lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}
