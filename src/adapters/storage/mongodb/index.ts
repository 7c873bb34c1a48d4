export { MongoStore } from "./mongo-store.js";
export { type MongoStoreOptions, openMongoStore } from "./open.js";
export type { TransactionMode } from "./transactions.js";
