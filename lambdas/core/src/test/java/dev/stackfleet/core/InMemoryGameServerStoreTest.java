package dev.stackfleet.core;

import java.util.Set;

/** The store contract on the in-memory store that the API's tests run on. */
class InMemoryGameServerStoreTest extends GameServerStoreContract {

    private final InMemoryGameServerStore store = new InMemoryGameServerStore();

    @Override
    protected GameServerStore store() {
        return store;
    }

    @Override
    protected Set<String> quotaSlots(String owner) {
        return store.quotaSlots(owner);
    }

    @Override
    protected void putAccount(PoolAccount account) {
        store.putAccount(account);
    }
}
