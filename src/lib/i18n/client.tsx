"use client";

import { createContext, useContext, useMemo } from "react";
import { translator, type Locale, type Translate } from "./messages";

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
