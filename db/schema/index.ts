export * from "./calendar";
export * from "./cases";
export * from "./offices";
export * from "./staff";
