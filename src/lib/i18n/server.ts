import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { LOCALES, localeFromAcceptLanguage, translator, type Locale, type Translate } from "./messages";

export const LOCALE_COOKIE = "jb_locale";

/** The request's language: the user's choice (cookie), else the browser's Accept-Language. */
export const getLocale = cache(async (): Promise<Locale> => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (chosen && (LOCALES as readonly string[]).includes(chosen)) return chosen as Locale;
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
});

export const getTranslator = cache(async (): Promise<{ t: Translate; locale: Locale }> => {
  const locale = await getLocale();
  return { t: translator(locale), locale };
});
