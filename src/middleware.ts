// Next reads middleware beside the `app` directory (here, src/); the session logic lives in the
// project's top-level middleware.ts, and the matcher must be written out here for Next to read.
export { middleware } from "../middleware";

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|py)$).*)"],
};
