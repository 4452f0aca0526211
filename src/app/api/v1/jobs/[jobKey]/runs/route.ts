import { handleListJobRuns } from "@/server/api/handlers";
import { readApiRoute } from "@/server/api/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = readApiRoute(handleListJobRuns);
