package dev.stackfleet.core;

import java.util.Objects;

/**
 * The settings a player chooses, already validated against the game-server template's constraints.
 *
 * @param difficulty one of the template's allowed values
 * @param playerCount number of player slots
 * @param seed world seed
 */
public record GameServerConfig(String difficulty, int playerCount, String seed) {

    public GameServerConfig {
        Objects.requireNonNull(difficulty, "difficulty");
        Objects.requireNonNull(seed, "seed");
    }
}
