import { getSql } from "../db/client";
import { apiMethodNotAllowed, type ApiDeps } from "./handlers";

/** A read-API route's exports: `handle` answers GET on the app's database; other methods get 405 with Allow. */
export function readApiRoute(handle: (request: Request, deps: ApiDeps) => Promise<Response>) {
  return {
    GET: (request: Request) => handle(request, { getSql }),
    POST: apiMethodNotAllowed,
    PUT: apiMethodNotAllowed,
    PATCH: apiMethodNotAllowed,
    DELETE: apiMethodNotAllowed,
  };
}
