/** Reports from a synthesis: compose once, render as Markdown, HTML, JSON or CSV. Server-only (HTML uses marked + sanitize-html). */
export { composeReport, NO_GROUP_KEY, NO_GROUP_NAME } from "./compose";
export { reportMarkdown, reportBlocks } from "./markdown";
export { reportHtml } from "./html";
export { reportJson, reportJsonObject, reportCsv } from "./export";
export type * from "./types";
