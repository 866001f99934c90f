/**
 * i18next in React components: the provider, `useTranslation()` and `<Trans>`, in the subset of
 * react-i18next's API this app uses (same names and props, so the code reads as react-i18next code).
 *
 * Why not react-i18next itself: it and the HTML parser its <Trans> needs weigh ~6 KB gzipped on every
 * page, and participant pages must stay under 150 KB of JavaScript on prepaid data (README
 * "Decisions"). i18next does all the work (lookup, fallbacks, plurals, interpolation, formatting);
 * this file only passes its instance down React's tree and re-renders when its texts change.
 */
import { cloneElement, createContext, Fragment, isValidElement, useContext, useEffect, useMemo, useState, type ReactElement, type ReactNode } from "react";
import type { i18n as I18n, TFunction, TOptions } from "i18next";

interface Bound {
  i18n: I18n;
  t: TFunction;
}

const Context = createContext<Bound | null>(null);

export function I18nextProvider({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  // Texts added later (a navigation into the facilitators' pages) or a language change render again.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    i18n.on("languageChanged", bump);
    i18n.store?.on("added", bump);
    return () => {
      i18n.off("languageChanged", bump);
      i18n.store?.off("added", bump);
    };
  }, [i18n]);
  const value = useMemo<Bound>(
    () => ({ i18n, t: i18n.t.bind(i18n) as TFunction }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n, version],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useTranslation(): Bound {
  const bound = useContext(Context);
  if (!bound) throw new Error("useTranslation() needs an <I18nextProvider> above it (entry.server.tsx / entry.client.tsx)");
  return bound;
}

type Components = Record<string, ReactElement>;

const TAG = /<(\w+)\s*\/>|<(\w+)>([\s\S]*?)<\/\2>/g;

/** `text` with `<name>…</name>` and `<name/>` replaced by the named elements (the inner text as children). */
export function withComponents(text: string, components: Components, keyPrefix = "t"): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(TAG)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const name = match[1] ?? match[2]!;
    const element = components[name];
    const key = `${keyPrefix}-${index++}`;
    if (!element || !isValidElement(element)) {
      // An unknown tag stays visible as text rather than disappearing.
      out.push(match[0]);
    } else if (match[1]) {
      out.push(cloneElement(element, { key }));
    } else {
      out.push(cloneElement(element, { key }, ...withComponents(match[3] ?? "", components, key)));
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * A translated text with elements in it: `<Trans i18nKey="x" values={{ group }} components={{ b: <strong /> }} />`
 * for the text "You were invited to <b>{{group}}</b>." Values are inserted as text (never as HTML).
 */
export function Trans({ i18nKey, values, components = {}, count }: { i18nKey: string; values?: Record<string, unknown>; components?: Components; count?: number }) {
  const { t } = useTranslation();
  const options: TOptions = { ...values, ...(count === undefined ? {} : { count }), interpolation: { escapeValue: false } };
  const text = t(i18nKey, options) as string;
  return <Fragment>{withComponents(text, components)}</Fragment>;
}
