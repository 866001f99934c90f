import { renderToStaticMarkup } from "react-dom/server";
import { createI18n } from "./i18n";
import { I18nextProvider, Trans, useTranslation } from "./i18n-react";

const texts = {
  en: {
    translation: {
      invited: "You were invited to <b>{{group}}</b>. <link>Read the rules</link> first.<br/>Thanks.",
      votes_one: "{{count}} vote",
      votes_other: "{{count}} votes",
      odd: "Keep <unknown>this</unknown>.",
    },
    messages: {},
  },
  pl: { translation: { votes_one: "{{count}} głos", votes_few: "{{count}} głosy", votes_many: "{{count}} głosów", votes_other: "{{count}} głosu" }, messages: {} },
};

function render(lang: string, node: JSX.Element) {
  return renderToStaticMarkup(<I18nextProvider i18n={createI18n(lang, texts)}>{node}</I18nextProvider>);
}

function Votes({ n }: { n: number }) {
  const { t } = useTranslation();
  return <span>{t("votes", { count: n })}</span>;
}

describe("i18n-react", () => {
  it("Trans puts the named elements around their text and inserts values as text", () => {
    const html = render("en", <Trans i18nKey="invited" values={{ group: "<Police>" }} components={{ b: <strong />, link: <a href="/rules" />, br: <br /> }} />);
    expect(html).toBe('You were invited to <strong>&lt;Police&gt;</strong>. <a href="/rules">Read the rules</a> first.<br/>Thanks.');
  });

  it("an unknown tag stays visible as text", () => {
    expect(render("en", <Trans i18nKey="odd" components={{}} />)).toBe("Keep &lt;unknown&gt;this&lt;/unknown&gt;.");
  });

  it("useTranslation gives i18next's plurals in each language (Polish: one, few, many)", () => {
    expect(render("en", <Votes n={1} />)).toBe("<span>1 vote</span>");
    expect(render("en", <Votes n={3} />)).toBe("<span>3 votes</span>");
    expect(render("pl", <Votes n={1} />)).toBe("<span>1 głos</span>");
    expect(render("pl", <Votes n={3} />)).toBe("<span>3 głosy</span>");
    expect(render("pl", <Votes n={5} />)).toBe("<span>5 głosów</span>");
    expect(render("pl", <Votes n={22} />)).toBe("<span>22 głosy</span>");
  });

  it("useTranslation outside a provider says what is missing", () => {
    expect(() => renderToStaticMarkup(<Votes n={1} />)).toThrow(/I18nextProvider/);
  });
});
