package dev.stackfleet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.GameServerStore.CreateOutcome;
import dev.stackfleet.core.GameServerStore.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code GameServerService} relies on from a {@link GameServerStore}, written once and run against every
 * store: the in-memory one the API's tests use ({@code InMemoryGameServerStoreTest}) and
 * {@link DynamoDbGameServerStore} on the emulator's tables ({@code DynamoDbGameServerStoreIT} in tools/local), so
 * that the fake cannot drift from the real store. Each test works with owners of its own, so one store may serve
 * every test of a class.
 */
public abstract class GameServerStoreContract {

    /** The quota every create of this contract asks for. */
    protected static final int LIMIT = 3;

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final GameServerConfig EASY = new GameServerConfig("easy", 4, "s33d");
    private static final GameServerConfig HARD = new GameServerConfig("hard", 8, "s33d");
    private static final String RELEASE = "3f9a2c1d4b5e";

    private static final Connection CONNECTION =
            new Connection("stackfleet-0123456789abcdefghij-4f1d2c3b.elb.eu-west-1.amazonaws.com", 25565, "tcp");
    private static final int RACERS = 8;

    private final String alice = "alice-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();
    /** Each test places its servers in a workload account of its own. */
    private final String account =
            String.format("%012d", ThreadLocalRandom.current().nextLong(1_000_000_000_000L));

    private final Placement placement = Placement.of(account, "eu-west-1", "stackfleet-workload-access");

    /** The store under test. */
    protected abstract GameServerStore store();

    /** The ids that hold the owner's quota slots, as the store keeps them. */
    protected abstract Set<String> quotaSlots(String owner);

    /** Registers an account in the pool as the settings would, quarantined when it has a reason. */
    protected abstract void putAccount(PoolAccount account);

    @BeforeEach
    void openTheTestsAccount() {
        putAccount(openAccount(account, 1000));
    }

    // placement accounts

    @Test
    void aCreateTakesASlotOfItsAccount() {
        createAll(alice, "a");

        assertEquals(1, poolAccount(account).used());
    }

    @Test
    void aCreateInAFullAccountWritesNothing() {
        putAccount(openAccount(account, 1));
        createAll(alice, "a");

        assertEquals(CreateOutcome.ACCOUNT_UNAVAILABLE, store().create(server(bob, 'b'), LIMIT));

        assertEquals(Optional.empty(), store().get(bob, id('b')));
        assertEquals(Set.of(), quotaSlots(bob));
        assertEquals(1, poolAccount(account).used());
    }

    @Test
    void aCreateInADrainingAccountWritesNothing() {
        putAccount(new PoolAccount(account, "eu-west-1", 1000, PoolAccount.State.DRAINING, 0, null, null));

        assertEquals(CreateOutcome.ACCOUNT_UNAVAILABLE, store().create(server(alice, 'a'), LIMIT));

        assertEquals(Optional.empty(), store().get(alice, id('a')));
        assertEquals(Set.of(), quotaSlots(alice));
    }

    @Test
    void aCreateInAQuarantinedAccountWritesNothing() {
        putAccount(
                new PoolAccount(account, "eu-west-1", 1000, PoolAccount.State.OPEN, 0, "incident 42", NOW.toString()));

        assertEquals(CreateOutcome.ACCOUNT_UNAVAILABLE, store().create(server(alice, 'a'), LIMIT));

        assertEquals(Optional.empty(), store().get(alice, id('a')));
        assertTrue(poolAccount(account).quarantined());
    }

    @Test
    void aCreateInAnAccountOutsideThePoolWritesNothing() {
        GameServer elsewhere = GameServer.requested(
                alice, "alice", id('a'), EASY, Placement.of("999999999999", "eu-west-1", "access"), RELEASE, NOW);

        assertEquals(CreateOutcome.ACCOUNT_UNAVAILABLE, store().create(elsewhere, LIMIT));

        assertEquals(Optional.empty(), store().get(alice, id('a')));
    }

    @Test
    void parallelCreatesOfManyOwnersStopExactlyAtTheAccountsCapacity() throws Exception {
        // GIVEN an account with room for three, and eight owners creating one server each
        putAccount(openAccount(account, 3));
        List<GameServer> servers = IntStream.range(0, RACERS)
                .mapToObj(n -> server("racer" + n + "-" + UUID.randomUUID(), (char) ('a' + n)))
                .toList();

        // WHEN they write at once
        List<CreateOutcome> outcomes = race(n -> store().create(servers.get(n), LIMIT));

        // THEN exactly three are written
        assertEquals(3, outcomes.stream().filter(CreateOutcome.CREATED::equals).count(), outcomes.toString());
        assertEquals(3, poolAccount(account).used());
        for (int n = 0; n < RACERS; n++) {
            GameServer server = servers.get(n);
            assertEquals(
                    outcomes.get(n) == CreateOutcome.CREATED,
                    store().get(server.owner(), server.gameServerId()).isPresent(),
                    "server " + n + " " + outcomes.get(n));
        }
    }

    // create

    @Test
    void aCreateUnderTheLimitStoresTheServerAsGivenAndTakesASlot() {
        GameServer server = server(alice, 'a');

        assertEquals(CreateOutcome.CREATED, store().create(server, LIMIT));

        assertEquals(Optional.of(server), store().get(alice, server.gameServerId()));
        assertEquals(Set.of(server.gameServerId()), quotaSlots(alice));
    }

    @Test
    void theCreateThatReachesTheLimitIsStored() {
        // GIVEN one slot left
        createAll(alice, "ab");

        // WHEN
        CreateOutcome outcome = store().create(server(alice, 'c'), LIMIT);

        // THEN
        assertEquals(CreateOutcome.CREATED, outcome);
        assertEquals(Set.of(id('a'), id('b'), id('c')), quotaSlots(alice));
    }

    @Test
    void aCreateOverTheLimitWritesNothing() {
        // GIVEN alice holds every slot
        createAll(alice, "abc");

        // WHEN
        CreateOutcome outcome = store().create(server(alice, 'd'), LIMIT);

        // THEN
        assertEquals(CreateOutcome.QUOTA_EXCEEDED, outcome);
        assertEquals(Optional.empty(), store().get(alice, id('d')));
        assertEquals(Set.of(id('a'), id('b'), id('c')), quotaSlots(alice));
    }

    @Test
    void oneOwnersFullQuotaLeavesAnothersFree() {
        createAll(alice, "abc");

        assertEquals(CreateOutcome.CREATED, store().create(server(bob, 'd'), LIMIT));
        assertEquals(Set.of(id('d')), quotaSlots(bob));
    }

    @Test
    void aCreateWithATakenIdWritesNothing() {
        // GIVEN alice has a server
        GameServer first = server(alice, 'a');
        store().create(first, LIMIT);

        // WHEN another create comes with the same id
        CreateOutcome outcome = store().create(anotherCreateOf(first, HARD, NOW.plusSeconds(5)), LIMIT);

        // THEN
        assertEquals(CreateOutcome.ID_TAKEN, outcome);
        assertEquals(Optional.of(first), store().get(alice, first.gameServerId()));
        assertEquals(Set.of(first.gameServerId()), quotaSlots(alice));
    }

    @Test
    void aRepeatedCreateWhoseAnswerWasLostIsStillOneServerWithOneSlot() {
        // GIVEN a create was written, but its answer was lost
        GameServer server = server(alice, 'a');
        store().create(server, LIMIT);

        // WHEN it is repeated
        CreateOutcome outcome = store().create(server, LIMIT);

        // THEN it is answered as written (DynamoDB's request token) or as the id taken by this very create (the
        // service then finds its own write); never as a second server
        assertTrue(Set.of(CreateOutcome.CREATED, CreateOutcome.ID_TAKEN).contains(outcome), outcome.name());
        assertEquals(Optional.of(server), store().get(alice, server.gameServerId()));
        assertEquals(Set.of(server.gameServerId()), quotaSlots(alice));
    }

    @Test
    void aRepeatedCreateWhoseAnswerWasLostIsNotRefusedForTheSlotItTookItself() {
        // GIVEN the lost create took the owner's last slot
        createAll(alice, "ab");
        GameServer last = server(alice, 'c');
        store().create(last, LIMIT);

        // WHEN it is repeated
        CreateOutcome outcome = store().create(last, LIMIT);

        // THEN the quota is full with this very server: its id is what is taken
        assertTrue(Set.of(CreateOutcome.CREATED, CreateOutcome.ID_TAKEN).contains(outcome), outcome.name());
        assertEquals(Set.of(id('a'), id('b'), id('c')), quotaSlots(alice));
    }

    @Test
    void aCreateWithTheIdOfAServerBeingDeletedIsRefusedForAFullQuota() {
        // GIVEN a's deletion freed its slot, and alice has filled the quota again
        createAll(alice, "a");
        store().requestDelete(alice, id('a'), NOW);
        createAll(alice, "bcd");

        // WHEN a create comes with a's id
        CreateOutcome outcome = store().create(anotherCreateOf(server(alice, 'a'), HARD, NOW.plusSeconds(5)), LIMIT);

        // THEN the full quota is what refuses it (the id is not among its slots), and a is as it was
        assertEquals(CreateOutcome.QUOTA_EXCEEDED, outcome);
        assertTrue(store().get(alice, id('a')).orElseThrow().deleteRequested());
        assertEquals(Set.of(id('b'), id('c'), id('d')), quotaSlots(alice));
    }

    // get

    @Test
    void anotherOwnersServerIsNotFound() {
        store().create(server(alice, 'a'), LIMIT);

        assertEquals(Optional.empty(), store().get(bob, id('a')));
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertEquals(Optional.empty(), store().get(alice, id('z')));
    }

    // list

    @ParameterizedTest(name = "{0} a page")
    @ValueSource(ints = {1, 2, 4, 5, 6})
    void pagesHoldAtMostTheLimitAndTogetherEveryServerOfTheOwnerOnceInIdOrder(int limit) {
        // GIVEN five servers of alice's and two of bob's, between them in id order
        for (char c : "bdfhj".toCharArray()) {
            assertEquals(CreateOutcome.CREATED, store().create(server(alice, c), 5));
        }
        createAll(bob, "ce");

        // WHEN alice follows the tokens to the end
        List<Page> pages = allPages(alice, limit);

        // THEN no page is longer than the limit, and the pages hold her servers once, in id order; a last page
        // that is full may be followed by an empty one (DynamoDB stops at the limit without looking further)
        pages.forEach(page -> assertTrue(page.items().size() <= limit, page.toString()));
        assertEquals(List.of(id('b'), id('d'), id('f'), id('h'), id('j')), ids(pages));
        int full = (5 + limit - 1) / limit;
        assertTrue(
                pages.size() == full
                        || (pages.size() == full + 1 && pages.getLast().items().isEmpty()),
                pages.size() + " pages: " + pages);
    }

    @Test
    void aPageShorterThanTheLimitIsTheLast() {
        createAll(alice, "abc");

        Page page = store().list(alice, 5, null);

        assertEquals(3, page.items().size());
        assertNull(page.nextToken());
    }

    @Test
    void anOwnerWithoutServersGetsOneEmptyPage() {
        createAll(bob, "a");

        assertEquals(new Page(List.of(), null), store().list(alice, 10, null));
    }

    @Test
    void aTokenFromAnotherOwnerResumesTheCallersOwnListingAndShowsNoneOfTheOthersServers() {
        // GIVEN alice's token after her first server, b; bob's servers lie on both sides of it
        createAll(alice, "bd");
        createAll(bob, "ace");
        String alicesToken = store().list(alice, 1, null).nextToken();

        // WHEN bob lists with it
        Page page = store().list(bob, 10, alicesToken);

        // THEN he sees his own servers after b, and none of alice's
        assertEquals(List.of(id('c'), id('e')), ids(List.of(page)));
        page.items().forEach(server -> assertEquals(bob, server.owner()));
    }

    @Test
    void aTamperedTokenIsRefused() {
        // GIVEN a token this store issued
        createAll(alice, "ab");
        String token = store().list(alice, 1, null).nextToken();

        // WHEN its first character is changed, or it is cut short, THEN
        String changed = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        assertInvalidToken(changed);
        assertInvalidToken(token.substring(0, token.length() - 4));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"not-a-token", "%%%", "", "djE6Z3MtMQ", "djE6Li4vZXRj"})
    void garbageIsNotAToken(String garbage) {
        // "djE6Z3MtMQ" and "djE6Li4vZXRj" are base64 of "v1:gs-1" and "v1:../etc": the shape, not an id
        createAll(alice, "a");

        assertInvalidToken(garbage);
    }

    // updateConfig

    @Test
    void anUpdateWithTheStoredGenerationWritesTheNewDesiredState() {
        GameServer server = server(alice, 'a');
        store().create(server, LIMIT);
        GameServer updated = server.withConfig(HARD, NOW.plusSeconds(60));

        assertTrue(store().updateConfig(updated, 1));

        assertEquals(Optional.of(updated), store().get(alice, server.gameServerId()));
    }

    @Test
    void aServerWrittenBeforeReleasesReadsWithoutOneAndAnUpdateGivesItTheReleaseItCarries() {
        // GIVEN a server written before releases existed: no release on its item
        GameServer read = server(alice, 'a');
        GameServer old = new GameServer(
                alice,
                "alice",
                read.gameServerId(),
                EASY,
                1,
                false,
                placement,
                read.stackName(),
                Status.ACTIVE,
                null,
                1L,
                null,
                null,
                null,
                null,
                null,
                NOW,
                NOW);
        store().create(old, LIMIT);
        // THEN it reads as it is, without a release
        assertNull(store().get(alice, old.gameServerId()).orElseThrow().release());

        // WHEN an update on another release is written
        assertTrue(store().updateConfig(old.withConfig(HARD, "7e1ea5e0c0de", NOW.plusSeconds(60)), 1));

        // THEN the server should run that release; none runs yet
        GameServer stored = store().get(alice, old.gameServerId()).orElseThrow();
        assertEquals("7e1ea5e0c0de", stored.release());
        assertNull(stored.observedRelease());
    }

    @Test
    void anUpdateChangesOnlyTheDesiredStateAndKeepsWhatTheWorkflowsWroteMeanwhile() {
        // GIVEN the service read the server while it was being created, and the workflow has since recorded it ACTIVE
        GameServer read = server(alice, 'a');
        GameServer active = new GameServer(
                alice,
                "alice",
                read.gameServerId(),
                EASY,
                1,
                false,
                placement,
                read.stackName(),
                Status.ACTIVE,
                "a reason left behind",
                1L,
                "arn:aws:states:us-east-1:1:execution:p:x",
                "arn:aws:cloudformation:eu-west-1:222222222222:stack/s/1",
                CONNECTION,
                RELEASE,
                RELEASE,
                NOW,
                NOW.plusSeconds(30));
        store().create(active, LIMIT);

        // WHEN the change the service built from its read is written
        Instant later = NOW.plusSeconds(60);
        assertTrue(store().updateConfig(read.withConfig(HARD, later), 1));

        // THEN the desired state is the change, and the observed state is the workflow's
        GameServer stored = store().get(alice, read.gameServerId()).orElseThrow();
        assertEquals(
                new GameServer(
                        alice,
                        "alice",
                        read.gameServerId(),
                        HARD,
                        2,
                        false,
                        placement,
                        read.stackName(),
                        Status.UPDATE_PENDING,
                        null,
                        1L,
                        active.executionArn(),
                        active.stackId(),
                        active.connection(),
                        RELEASE,
                        RELEASE,
                        NOW,
                        later),
                stored);
    }

    @Test
    void anUpdateWithAStaleGenerationWritesNothing() {
        // GIVEN another request already took generation 2
        GameServer server = server(alice, 'a');
        store().create(server, LIMIT);
        GameServer winner = server.withConfig(HARD, NOW.plusSeconds(10));
        store().updateConfig(winner, 1);

        // WHEN a change read at generation 1 arrives
        boolean written = store().updateConfig(
                        server.withConfig(new GameServerConfig("normal", 2, "s33d"), NOW.plusSeconds(20)), 1);

        // THEN
        assertFalse(written);
        assertEquals(Optional.of(winner), store().get(alice, server.gameServerId()));
    }

    @Test
    void anUpdateAfterADeleteRequestWritesNothing() {
        GameServer server = server(alice, 'a');
        store().create(server, LIMIT);
        GameServer deleting = store().requestDelete(alice, server.gameServerId(), NOW.plusSeconds(10))
                .orElseThrow();

        assertFalse(store().updateConfig(server.withConfig(HARD, NOW.plusSeconds(20)), 1));
        assertEquals(Optional.of(deleting), store().get(alice, server.gameServerId()));
    }

    @Test
    void anUpdateOfAServerTheOwnerDoesNotHaveCreatesNothing() {
        // GIVEN the id is alice's, not bob's
        GameServer alices = server(alice, 'a');
        store().create(alices, LIMIT);

        // WHEN bob's update names it
        boolean written = store().updateConfig(server(bob, 'a').withConfig(HARD, NOW), 1);

        // THEN
        assertFalse(written);
        assertEquals(Optional.empty(), store().get(bob, id('a')));
        assertEquals(Optional.of(alices), store().get(alice, id('a')));
    }

    // requestDelete

    @Test
    void aDeleteRequestMarksTheServerAndFreesItsSlot() {
        // GIVEN an active server that once failed
        GameServer server = new GameServer(
                alice,
                "alice",
                id('a'),
                EASY,
                2,
                false,
                placement,
                "stackfleet-" + id('a'),
                Status.ACTIVE,
                "an earlier failure",
                2L,
                "arn:execution",
                "arn:stack",
                CONNECTION,
                RELEASE,
                RELEASE,
                NOW,
                NOW.plusSeconds(5));
        store().create(server, LIMIT);
        Instant later = NOW.plusSeconds(60);

        // WHEN
        Optional<GameServer> written = store().requestDelete(alice, server.gameServerId(), later);

        // THEN the desired state says delete, the rest stays, and the slot is free
        GameServer expected = new GameServer(
                alice,
                "alice",
                id('a'),
                EASY,
                2,
                true,
                placement,
                "stackfleet-" + id('a'),
                Status.DELETE_PENDING,
                null,
                2L,
                "arn:execution",
                "arn:stack",
                CONNECTION,
                RELEASE,
                RELEASE,
                NOW,
                later);
        assertEquals(Optional.of(expected), written);
        assertEquals(Optional.of(expected), store().get(alice, server.gameServerId()));
        assertEquals(Set.of(), quotaSlots(alice));
    }

    @Test
    void aSecondDeleteRequestWritesNothing() {
        store().create(server(alice, 'a'), LIMIT);
        GameServer first =
                store().requestDelete(alice, id('a'), NOW.plusSeconds(10)).orElseThrow();

        assertEquals(Optional.empty(), store().requestDelete(alice, id('a'), NOW.plusSeconds(20)));
        assertEquals(Optional.of(first), store().get(alice, id('a')));
    }

    @Test
    void aDeleteRequestForAnUnknownIdWritesNothing() {
        createAll(alice, "a");

        assertEquals(Optional.empty(), store().requestDelete(alice, id('z'), NOW));
        assertEquals(Optional.empty(), store().get(alice, id('z')));
        assertEquals(Set.of(id('a')), quotaSlots(alice));
    }

    @Test
    void aDeleteRequestForAnotherOwnersServerWritesNothing() {
        GameServer alices = server(alice, 'a');
        store().create(alices, LIMIT);

        assertEquals(Optional.empty(), store().requestDelete(bob, id('a'), NOW));
        assertEquals(Optional.of(alices), store().get(alice, id('a')));
        assertEquals(Set.of(id('a')), quotaSlots(alice));
        assertEquals(Optional.empty(), store().get(bob, id('a')));
    }

    @Test
    void deletedServersFreeTheirSlotsForNewOnesAndStayListedUntilRemoved() {
        // GIVEN alice holds every slot and asks for two of her servers to be deleted
        createAll(alice, "abc");
        store().requestDelete(alice, id('a'), NOW);
        store().requestDelete(alice, id('c'), NOW);

        // WHEN she creates two more, and a third
        List<CreateOutcome> outcomes = List.of(
                store().create(server(alice, 'd'), LIMIT),
                store().create(server(alice, 'e'), LIMIT),
                store().create(server(alice, 'f'), LIMIT));

        // THEN the freed slots are taken again, and no more
        assertEquals(List.of(CreateOutcome.CREATED, CreateOutcome.CREATED, CreateOutcome.QUOTA_EXCEEDED), outcomes);
        assertEquals(Set.of(id('b'), id('d'), id('e')), quotaSlots(alice));
        assertEquals(List.of(id('a'), id('b'), id('c'), id('d'), id('e')), ids(allPages(alice, 10)));
    }

    // races

    @Test
    void ofParallelUpdatesReadAtTheSameGenerationExactlyOneIsWritten() throws Exception {
        // GIVEN eight requests that all read generation 1, each with its own change
        GameServer server = server(alice, 'a');
        store().create(server, LIMIT);
        List<GameServer> changes = IntStream.rangeClosed(1, RACERS)
                .mapToObj(n -> server.withConfig(new GameServerConfig("hard", n, "s33d"), NOW.plusSeconds(n)))
                .toList();

        // WHEN they write at once
        List<Boolean> written = race(n -> store().updateConfig(changes.get(n), 1));

        // THEN one is written, and the stored server is that one
        List<GameServer> winners = IntStream.range(0, RACERS)
                .filter(written::get)
                .mapToObj(changes::get)
                .toList();
        assertEquals(1, winners.size(), "written: " + written);
        assertEquals(Optional.of(winners.getFirst()), store().get(alice, server.gameServerId()));
    }

    @Test
    void parallelCreatesOfOneOwnerStopExactlyAtTheLimit() throws Exception {
        // GIVEN eight creates of alice's with ids of their own
        List<GameServer> servers = IntStream.range(0, RACERS)
                .mapToObj(n -> server(alice, (char) ('a' + n)))
                .toList();

        // WHEN they write at once
        List<CreateOutcome> outcomes = race(n -> store().create(servers.get(n), LIMIT));

        // THEN exactly the limit is written, and the slots and the listing agree on which
        Map<CreateOutcome, Long> counts =
                outcomes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(
                Map.of(CreateOutcome.CREATED, (long) LIMIT, CreateOutcome.QUOTA_EXCEEDED, (long) (RACERS - LIMIT)),
                counts);
        Set<String> created = IntStream.range(0, RACERS)
                .filter(n -> outcomes.get(n) == CreateOutcome.CREATED)
                .mapToObj(n -> servers.get(n).gameServerId())
                .collect(Collectors.toSet());
        assertEquals(created, quotaSlots(alice));
        assertEquals(created, Set.copyOf(ids(allPages(alice, 10))));
    }

    // helpers

    private static PoolAccount openAccount(String accountId, long capacity) {
        return new PoolAccount(accountId, "eu-west-1", capacity, PoolAccount.State.OPEN, 0, null, null);
    }

    private PoolAccount poolAccount(String accountId) {
        return store().accountPool().stream()
                .filter(a -> a.accountId().equals(accountId))
                .findFirst()
                .orElseThrow();
    }

    /** An id in the service's format that sorts by its last letter: gs-aaaaaaaaaaaaaaaaaaa{last}. */
    private static String id(char last) {
        return "gs-" + "a".repeat(19) + last;
    }

    private GameServer server(String owner, char last) {
        return GameServer.requested(
                owner, owner.substring(0, owner.indexOf('-')), id(last), EASY, placement, RELEASE, NOW);
    }

    /** Another create with the same id: another config, another moment. */
    private static GameServer anotherCreateOf(GameServer server, GameServerConfig config, Instant createdAt) {
        return GameServer.requested(
                server.owner(),
                server.ownerName(),
                server.gameServerId(),
                config,
                server.placement(),
                server.release(),
                createdAt);
    }

    private void createAll(String owner, String lastLetters) {
        for (int i = 0; i < lastLetters.length(); i++) {
            assertEquals(CreateOutcome.CREATED, store().create(server(owner, lastLetters.charAt(i)), LIMIT));
        }
    }

    private List<Page> allPages(String owner, int limit) {
        List<Page> pages = new ArrayList<>();
        String token = null;
        do {
            Page page = store().list(owner, limit, token);
            pages.add(page);
            token = page.nextToken();
        } while (token != null && pages.size() <= 20);
        return pages;
    }

    private static List<String> ids(List<Page> pages) {
        return pages.stream()
                .flatMap(page -> page.items().stream())
                .map(GameServer::gameServerId)
                .toList();
    }

    private void assertInvalidToken(String token) {
        InvalidRequestException refused =
                assertThrows(InvalidRequestException.class, () -> store().list(alice, 10, token), token);
        assertEquals("invalid_next_token", refused.code());
    }

    /** Runs the task on {@value #RACERS} threads released at the same moment; the results in task order. */
    private static <T> List<T> race(IntFunction<T> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> pending = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(RACERS)) {
            for (int n = 0; n < RACERS; n++) {
                int racer = n;
                pending.add(threads.submit(() -> {
                    go.await();
                    return task.apply(racer);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> result : pending) {
                results.add(result.get());
            }
            return results;
        }
    }
}
