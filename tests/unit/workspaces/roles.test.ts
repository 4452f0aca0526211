import { describe, expect, it } from "vitest";
import { ROLES, canAdminister, canOperate, hasRole } from "@/server/workspaces/roles";

describe("roles", () => {
  it("orders viewer < operator < admin < owner, as private.role_rank does in SQL", () => {
    const matrix = ROLES.map((role) => ROLES.map((minimum) => hasRole(role, minimum)));
    expect(matrix).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, true],
    ]);
  });

  it("lets operators and above operate, admins and above administer", () => {
    expect(ROLES.filter(canOperate)).toEqual(["operator", "admin", "owner"]);
    expect(ROLES.filter(canAdminister)).toEqual(["admin", "owner"]);
  });
});
