import { isLoopbackEgressAllowed } from "@/server/egress";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";
import { TASKS } from "@/server/tasks";
import { JobForm } from "./job-form";

/** The job form with what only the server knows: the tasks it can run, whether HTTP jobs may call this machine, and the time. */
export function JobEditor({ defaults, workspaceTimezone }: { defaults: JobFormDefaults; workspaceTimezone: string }) {
  return (
    <JobForm
      defaults={defaults}
      workspaceTimezone={workspaceTimezone}
      isLoopbackAllowed={isLoopbackEgressAllowed()}
      tasks={Object.values(TASKS).map(({ name, description }) => ({ name, description }))}
      now={new Date().toISOString()}
    />
  );
}
