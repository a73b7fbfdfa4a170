package dev.stackfleet.core;

import java.security.SecureRandom;

/** Generates game-server ids: {@code gs-} and 20 random lowercase base-32 characters (100 bits). */
public final class GameServerIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private GameServerIds() {}

    /** A new, unguessable id. */
    public static String next() {
        StringBuilder id = new StringBuilder("gs-");
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** Whether a string has the shape of an id this service generates. */
    public static boolean isWellFormed(String id) {
        return id != null && id.matches("gs-[a-z2-7]{" + LENGTH + "}");
    }
}
