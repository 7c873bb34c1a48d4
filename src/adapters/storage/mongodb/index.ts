export { MongoUserStore } from "./mongo-user-store.js";
export { type MongoStoreOptions, openMongoUserStore } from "./open.js";
export type { TransactionMode } from "./transactions.js";
