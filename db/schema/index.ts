export * from "./calendar";
export * from "./cases";
export * from "./db-roles";
export * from "./offices";
export * from "./staff";
