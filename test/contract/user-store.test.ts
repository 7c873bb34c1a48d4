import { storeHarnesses } from "../support/stores.js";
import { describeUserStoreContract } from "./user-store.contract.js";

for (const harness of storeHarnesses) describeUserStoreContract(harness);
