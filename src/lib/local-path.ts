/**
 * The path (and query) of `url` when it is a path on this site, else "/". A pathname such as
 * `//evil.example` or `/\evil.example` would leave the site when redirected to, so only a
 * single leading `/` followed by something else than a slash or backslash is accepted.
 */
export function localPathOf(url: string | null | undefined): string {
  if (!url) return "/";
  let path: string;
  try {
    const parsed = new URL(url, "http://local.invalid");
    path = parsed.pathname + parsed.search;
  } catch {
    return "/";
  }
  return /^\/(?![/\\])[^\\]*$/.test(path) && !/[\u0000-\u001f]/.test(path) ? path : "/";
}
