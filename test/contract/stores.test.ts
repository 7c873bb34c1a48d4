import { storeHarnesses } from "../support/stores.js";
import { describeAccountListingContract } from "./account-listing.contract.js";
import { describeAccountStoreContract } from "./account-store.contract.js";
import { describeDeviceStoreContract } from "./device-store.contract.js";
import { describeLimitStoreContract } from "./limit-store.contract.js";
import { describeOutboxStoreContract } from "./outbox-store.contract.js";
import { describeSessionStoreContract } from "./session-store.contract.js";
import { describeTokenStoreContract } from "./token-store.contract.js";
import { describeTransactionContract } from "./transaction.contract.js";

/** Every port's contract, on every store implementation. */
for (const harness of storeHarnesses) {
  describeAccountStoreContract(harness);
  describeAccountListingContract(harness);
  describeTokenStoreContract(harness);
  describeSessionStoreContract(harness);
  describeDeviceStoreContract(harness);
  describeLimitStoreContract(harness);
  describeOutboxStoreContract(harness);
  describeTransactionContract(harness);
}
