// The pure domain rules. Region data (GB/T 2260) is big and has its own path, `shared/rules/regions`.
export * from "./declaration-password";
export * from "./hall-code";
export * from "./han";
export * from "./id-number";
export * from "./id-types";
export * from "./login-name";
export * from "./mobile";
export * from "./nationality";
export * from "./password";
export * from "./person-name";
export * from "./result";
export * from "./schema";
export * from "./tax-id";
