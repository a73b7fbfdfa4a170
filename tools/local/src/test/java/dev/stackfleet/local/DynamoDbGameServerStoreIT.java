package dev.stackfleet.local;

import dev.stackfleet.core.AccountPoolTable;
import dev.stackfleet.core.DynamoDbGameServerStore;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.GameServerStoreContract;
import dev.stackfleet.core.PoolAccount;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store contract on {@link DynamoDbGameServerStore} and the emulator's tables, created by {@link LocalResources}
 * as local mode creates them; the in-memory store the API's tests use is held to the same contract.
 *
 * <p>The store gets the client local mode gives the API, {@link LocalAws#dynamoDbWithSerializedWrites()}: moto checks
 * a write's condition and applies it without a lock, so two racing updates can both pass one
 * {@code generation = :expected}, and it undoes a cancelled transaction by putting back copies of the whole tables
 * (losing a write that ran meanwhile). DynamoDB isolates each write, and the serialized client gives the emulator
 * that isolation ({@link SerializedWrites}); so the contract's races test the store's conditions, as local mode runs
 * them, and not the emulator's missing lock. (With the plain client, eight parallel creates of one owner once wrote
 * four servers against a quota of three.) The stream poller is off: no workflow writes beside the store.
 */
class DynamoDbGameServerStoreIT extends GameServerStoreContract {

    private static TestEnvironment environment;
    private static DynamoDbClient dynamoDb;
    private static GameServerStore store;

    @BeforeAll
    static void start() {
        environment = TestEnvironment.start("store-contract", new LocalControlPlane.Options(0, false, null));
        dynamoDb = environment.aws().dynamoDbWithSerializedWrites();
        store = new DynamoDbGameServerStore(
                dynamoDb,
                LocalResources.TABLE_NAME,
                LocalResources.QUOTA_TABLE_NAME,
                LocalResources.ACCOUNT_POOL_TABLE_NAME,
                LocalResources.RELEASES_TABLE_NAME);
    }

    @AfterAll
    static void stop() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    protected GameServerStore store() {
        return store;
    }

    @Override
    protected Set<String> quotaSlots(String owner) {
        return environment.quotaSlots(owner);
    }

    @Override
    protected void putAccount(PoolAccount account) {
        AccountPoolTable pool = new AccountPoolTable(dynamoDb, LocalResources.ACCOUNT_POOL_TABLE_NAME);
        pool.register(account.accountId(), account.region(), account.capacity(), account.state());
        if (account.quarantined()) {
            pool.quarantine(account.accountId(), account.quarantineReason(), Instant.parse(account.quarantinedAt()));
        } else {
            pool.endQuarantine(account.accountId());
        }
    }
}
