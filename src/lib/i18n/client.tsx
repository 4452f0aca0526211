"use client";

import { createContext, useContext, useMemo } from "react";
import { translator, type Locale, type Translate } from "./messages";
import { localizeActionState } from "./server-text";

const LocaleContext = createContext<Locale>("en");

/** Gives client components the locale the server chose (cookie or Accept-Language). */
export function LocaleProvider({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useT(): Translate {
  const locale = useContext(LocaleContext);
  return useMemo(() => translator(locale), [locale]);
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** A form action's answer, its messages in the reader's language. */
export function useLocalized<S extends { error?: string; fieldErrors?: Record<string, string> }>(state: S): S {
  const locale = useLocale();
  return useMemo(() => localizeActionState(state, locale), [state, locale]);
}
