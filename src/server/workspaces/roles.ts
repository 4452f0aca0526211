export const ROLES = ["viewer", "operator", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3, owner: 4 };

/** Mirrors private.has_role in SQL, so the UI and actions can explain what RLS will refuse. */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export const canOperate = (role: Role) => hasRole(role, "operator");
export const canAdminister = (role: Role) => hasRole(role, "admin");
