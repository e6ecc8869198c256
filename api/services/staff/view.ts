import type { Deps, Role, StaffActor } from "../../context";

export interface StaffView {
  username: string;
  office: { code: string; name: string };
  roles: Role[];
}

/** The staff object the API answers with (DESIGN.md, POST /api/v1/staff/session). */
export function staffView(deps: Deps, actor: StaffActor): StaffView {
  const office = deps.offices.get(actor.officeCode);
  return {
    username: actor.username,
    office: { code: actor.officeCode, name: office?.name ?? actor.officeCode },
    roles: actor.roles,
  };
}
