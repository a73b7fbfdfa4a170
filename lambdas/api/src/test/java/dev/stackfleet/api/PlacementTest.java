package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerStore;
import dev.stackfleet.core.InMemoryGameServerStore;
import dev.stackfleet.core.PoolAccount;
import dev.stackfleet.core.PoolAccount.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Where a create places its server: the pool's open account with the most headroom, or nowhere (503). */
class PlacementTest {

    private static final String A = "111111111111";
    /** The fixture's own account. */
    private static final String B = ApiFixture.ACCOUNT;

    private static final String C = "333333333333";

    private final ApiFixture api = new ApiFixture();

    @Test
    void createsGoToTheAccountWithTheMostHeadroomTheLowestIdOnATie() {
        // GIVEN three open accounts, C already half full
        api.store.putAccount(account(A, 4, State.OPEN, 0, null));
        api.store.putAccount(account(B, 4, State.OPEN, 0, null));
        api.store.putAccount(account(C, 4, State.OPEN, 2, null));

        // WHEN six owners create a server each
        List<String> accounts = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            accounts.add(create(api, "owner-" + n).placement().accountId());
        }

        // THEN they spread by headroom
        assertEquals(List.of(A, B, A, B, A, B), accounts);
        assertEquals(Map.of(A, 3L, B, 3L, C, 2L), used(api.store));
    }

    @Test
    void aFullPoolRefusesTheCreateWith503AndWritesNothing() {
        api.store.putAccount(account(A, 5, State.DRAINING, 0, null));
        api.store.putAccount(account(B, 1, State.OPEN, 1, null));
        api.store.putAccount(account(C, 5, State.OPEN, 0, "disk alarm in the account"));

        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        assertEquals(503, response.status());
        assertEquals("no_capacity", response.error());
        assertTrue(
                response.body().path("message").asText().contains("nothing was created"),
                response.body().toString());
        assertEquals(0, api.store.writes());
        assertEquals(Set.of(), api.store.quotaSlots(ApiFixture.ALICE));
        assertEquals(Map.of(A, 0L, B, 1L, C, 0L), used(api.store));
    }

    @Test
    void aNewServerGetsTheCurrentReleaseAndWithoutOneTheCreateIs503AndWritesNothing() {
        api.store.putAccount(account(A, 5, State.OPEN, 0, null));
        api.store.makeCurrent("0a1b2c3d4e5f");
        assertEquals("0a1b2c3d4e5f", create(api, "owner-1").release());

        api.store.makeCurrent(null);
        int writes = api.store.writes();
        ApiFixture.Response response = api.send(ApiFixture.event("create.json"));

        assertEquals(503, response.status());
        assertEquals("no_release", response.error());
        assertTrue(
                response.body().path("message").asText().contains("nothing was created"),
                response.body().toString());
        assertEquals(writes, api.store.writes());
    }

    @Test
    void drainingAndQuarantinedAccountsTakeNoNewServersWhateverTheirHeadroom() {
        api.store.putAccount(account(A, 100, State.DRAINING, 0, null));
        api.store.putAccount(account(B, 2, State.OPEN, 1, null));
        api.store.putAccount(account(C, 100, State.OPEN, 0, "investigating"));

        assertEquals(B, create(api, "owner-1").placement().accountId());
    }

    @Test
    void aCreateWhoseAccountFilledUpMeanwhileIsPlacedAgain() {
        // GIVEN B looks best when the pool is read, but another create takes its last slot before this one writes
        InMemoryGameServerStore[] shared = new InMemoryGameServerStore[1];
        ApiFixture racing = new ApiFixture(store ->
                new FillsAccountFirst(store, () -> shared[0].putAccount(account(B, 3, State.OPEN, 3, null))));
        shared[0] = racing.store;
        racing.store.putAccount(account(A, 10, State.OPEN, 8, null));
        racing.store.putAccount(account(B, 3, State.OPEN, 0, null));

        // WHEN
        GameServer created = create(racing, "owner-1");

        // THEN it went to the account that still had room
        assertEquals(A, created.placement().accountId());
        assertEquals(Map.of(A, 9L, B, 3L), used(racing.store));
    }

    private static GameServer create(ApiFixture api, String owner) {
        var event = ApiFixture.event("create.json");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(ApiFixture.claims(owner, owner));
        ApiFixture.Response response = api.send(event);
        assertEquals(201, response.status(), response.body().toString());
        return api.store
                .get(owner, response.body().path("gameserver_id").asText())
                .orElseThrow();
    }

    private static Map<String, Long> used(InMemoryGameServerStore store) {
        Map<String, Long> used = new TreeMap<>();
        store.accountPool().forEach(account -> used.put(account.accountId(), account.used()));
        return used;
    }

    private static PoolAccount account(String id, long capacity, State state, long used, String quarantine) {
        return new PoolAccount(
                id, "eu-west-1", capacity, state, used, quarantine, quarantine == null ? null : "2026-11-30T12:00:00Z");
    }

    /** A store on which another create fills an account once, between the service's pool read and its write. */
    private record FillsAccountFirst(GameServerStore store, Runnable fill) implements GameServerStore {

        @Override
        public CreateOutcome create(GameServer server, int maxServersPerOwner) {
            fill.run();
            return store.create(server, maxServersPerOwner);
        }

        @Override
        public Optional<String> currentRelease() {
            return store.currentRelease();
        }

        @Override
        public List<PoolAccount> accountPool() {
            return store.accountPool();
        }

        @Override
        public Optional<GameServer> get(String owner, String gameServerId) {
            return store.get(owner, gameServerId);
        }

        @Override
        public Page list(String owner, int limit, String nextToken) {
            return store.list(owner, limit, nextToken);
        }

        @Override
        public boolean updateConfig(GameServer updated, long expectedGeneration) {
            return store.updateConfig(updated, expectedGeneration);
        }

        @Override
        public Optional<GameServer> requestDelete(String owner, String gameServerId, Instant now) {
            return store.requestDelete(owner, gameServerId, now);
        }
    }
}
