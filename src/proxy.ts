import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PATHS = ["/login", "/signup", "/invite/", "/api/"];

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(path));
}

function isHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/**
 * The page's Content-Security-Policy. Scripts run only with this response's nonce (Next puts it
 * on its own scripts, read from the request's policy header), and 'strict-dynamic' lets those
 * load the chunks they need. Styles stay inline-capable: React and Radix set style attributes.
 */
function contentSecurityPolicy(nonce: string, https: boolean): string {
  const isDev = process.env.NODE_ENV !== "production";
  const supabase = process.env.NEXT_PUBLIC_SUPABASE_URL;
  return [
    "default-src 'self'",
    // Development's fast refresh evaluates code it receives: only there.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${supabase ? ` ${new URL(supabase).origin}` : ""}${isDev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function withSecurityHeaders(response: NextResponse, policy: string, https: boolean): NextResponse {
  response.headers.set("Content-Security-Policy", policy);
  // For browsers that predate frame-ancestors.
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  // Only over https: sent over http it would be ignored, and on localhost it would stick.
  if (https) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

/**
 * Sets the security headers of every page, refreshes the Supabase session (Supabase mode) and
 * sends visitors without a session cookie to sign-in. Only an optimistic check: pages and
 * actions verify the session again where data is read.
 */
export async function proxy(request: NextRequest) {
  const https = isHttps(request);
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, https);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const next = () => NextResponse.next({ request: { headers: requestHeaders } });

  const supabaseUrl = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const supabaseKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  let response = next();
  let hasSession: boolean;

  if (supabaseUrl && supabaseKey) {
    const supabase = createServerClient(supabaseUrl, supabaseKey, {
      cookies: {
        getAll: () => request.cookies.getAll(),
        setAll: (toSet) => {
          for (const { name, value } of toSet) request.cookies.set(name, value);
          // The refreshed cookies travel on to the page with the request's other headers.
          requestHeaders.set("cookie", request.cookies.toString());
          response = next();
          for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
        },
      },
    });
    const { data } = await supabase.auth.getClaims();
    hasSession = Boolean(data?.claims);
  } else {
    hasSession = request.cookies.has("jb_session");
  }

  if (!hasSession && !isPublic(request.nextUrl.pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = "";
    return withSecurityHeaders(NextResponse.redirect(url), policy, https);
  }
  return withSecurityHeaders(response, policy, https);
}

export const config = {
  // Every page; not static assets, the Python reporter or the CLI download, and not the
  // machine-to-machine routes (reports, read API, agents, health), where it would only cost throughput.
  matcher: ["/((?!_next/|favicon.ico|api/monitor|api/v1|api/agent|api/health|ping|.*\\.(?:svg|png|jpg|jpeg|gif|webp|py|mjs|sha256)$).*)"],
};
