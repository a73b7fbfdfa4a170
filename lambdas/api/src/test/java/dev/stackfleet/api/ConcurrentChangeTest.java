package dev.stackfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stackfleet.core.GameServer;
import dev.stackfleet.core.GameServerConfig;
import dev.stackfleet.core.Status;
import org.junit.jupiter.api.Test;

/**
 * A PATCH that loses the race to another request's change is read again and merged onto the winner's config (three
 * attempts), then answered 409 {@code conflict} with nothing of it written. alice's server starts at generation 1,
 * easy, 4 players; her PATCH (test-events/api/update.json) asks for 8 players.
 */
class ConcurrentChangeTest {

    @Test
    void aPatchThatLosesOneRaceIsWrittenOnTopOfTheWinnersChange() {
        // GIVEN another request sets the difficulty to hard between this PATCH's read and its first write
        ConcurrentChangeStore[] racing = new ConcurrentChangeStore[1];
        ApiFixture api = new ApiFixture(store -> racing[0] = new ConcurrentChangeStore(store, 1));
        api.seedAliceServer();

        // WHEN
        ApiFixture.Response response = api.send(ApiFixture.event("update.json"));

        // THEN the second attempt wrote the next generation after the winner's, with both changes
        assertEquals(200, response.status(), response.body().toString());
        assertEquals(2, racing[0].attempts());
        GameServer stored =
                api.store.get(ApiFixture.ALICE, ApiFixture.SEEDED_ID).orElseThrow();
        assertEquals(new GameServerConfig("hard", 8, "s33d"), stored.config());
        assertEquals(3, stored.generation());
        assertEquals(Status.UPDATE_PENDING, stored.status());
        assertEquals(3, response.body().path("generation").asInt());
        assertEquals("hard", response.body().path("config").path("difficulty").asText());
        assertEquals(8, response.body().path("config").path("player_count").asInt());
    }

    @Test
    void aPatchThatLosesEveryRaceIsAConflictAndWritesNothing() {
        // GIVEN another request changes the server before each of this PATCH's writes
        ConcurrentChangeStore[] racing = new ConcurrentChangeStore[1];
        ApiFixture api = new ApiFixture(store -> racing[0] = new ConcurrentChangeStore(store, Integer.MAX_VALUE));
        api.seedAliceServer();

        // WHEN
        ApiFixture.Response response = api.send(ApiFixture.event("update.json"));

        // THEN after three attempts the caller is told to read again; the server is as the other request left it
        assertEquals(409, response.status(), response.body().toString());
        assertEquals("conflict", response.error());
        assertEquals(3, racing[0].attempts());
        GameServer stored =
                api.store.get(ApiFixture.ALICE, ApiFixture.SEEDED_ID).orElseThrow();
        assertEquals(new GameServerConfig("peaceful", 4, "s33d"), stored.config(), "none of the 8 players written");
        assertEquals(4, stored.generation());
        assertEquals(3, api.store.writes(), "only the other request's three changes");
    }
}
