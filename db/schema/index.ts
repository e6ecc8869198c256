export * from "./calendar";
export * from "./cases";
export * from "./db-roles";
export * from "./leaders";
export * from "./ledgers";
export * from "./offices";
export * from "./repeats";
export * from "./staff";
