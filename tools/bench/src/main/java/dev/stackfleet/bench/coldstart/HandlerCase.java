package dev.stackfleet.bench.coldstart;

import java.nio.file.Path;
import java.util.List;

/**
 * One deployed handler in the cold-start benchmark: its class, the Lambda jar it ships in, the Python module doing
 * the same first call, and that call's name in the report.
 *
 * @param handler the handler's simple class name, as {@link FirstInvocation} takes it
 * @param jar the shaded Lambda jar, relative to the repository root
 * @param pythonModule the module in {@code tools/bench/python} with the same handler in Python
 * @param call the AWS calls of the first invocation, as the report names them
 */
record HandlerCase(String handler, String jar, String pythonModule, String call) {

    static final String API_JAR = "lambdas/api/target/stackfleet-api.jar";

    /** Every Java handler the CDK app deploys; the first is the smoke run's. */
    static final List<HandlerCase> DEPLOYED = List.of(
            new HandlerCase("GetGameServerHandler", API_JAR, "get_game_server", "GetItem"),
            new HandlerCase("ListGameServersHandler", API_JAR, "list_game_servers", "Query"),
            new HandlerCase(
                    "CreateGameServerHandler", API_JAR, "create_game_server", "2 GetItem + Scan + TransactWriteItems"),
            new HandlerCase("UpdateGameServerHandler", API_JAR, "update_game_server", "GetItem + UpdateItem"),
            new HandlerCase("DeleteGameServerHandler", API_JAR, "delete_game_server", "GetItem + 2 UpdateItem"),
            new HandlerCase("StreamHandler", "lambdas/stream/target/stackfleet-stream.jar", "stream", "StartExecution"),
            new HandlerCase(
                    "ReconcileHandler",
                    "lambdas/reconciler/target/stackfleet-reconciler-lambda.jar",
                    "reconcile",
                    "7 Query (by-status index)"));

    Path jarUnder(Path root) {
        return root.resolve(jar);
    }
}
