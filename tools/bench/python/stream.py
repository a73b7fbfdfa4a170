"""The stream Lambda: one StartExecution per intent record, as StreamHandler (the dead-letter queue client is
built at init too, as the Java handler builds it)."""
import json
import os

import boto3

PROVISION = os.environ["PROVISION_STATE_MACHINE_ARN"]
sfn = boto3.client("stepfunctions")
sqs = boto3.client("sqs")


def handler(event, context):
    failures = []
    for record in event["Records"]:
        image = record["dynamodb"]["NewImage"]
        if record["eventName"] != "INSERT" or image["status"]["S"] != "CREATE_PENDING":
            continue
        gameserver_id = image["gameserver_id"]["S"]
        generation = int(image["generation"]["N"])
        config = image["config"]["M"]
        execution_input = {
            "intent": "CREATE",
            "owner": image["owner"]["S"],
            "gameserver_id": gameserver_id,
            "generation": generation,
            "stack_name": image["stack_name"]["S"],
            "config": {"difficulty": config["difficulty"]["S"], "player_count": int(config["player_count"]["N"]),
                       "seed": config["seed"]["S"]},
            "placement": {k: v["S"] for k, v in image["placement"]["M"].items()},
            "poll": {"initial_seconds": 5, "max_seconds": 60},
            "release": image["release"]["S"],
        }
        try:
            sfn.start_execution(stateMachineArn=PROVISION, name=f"{gameserver_id}-create-g{generation}",
                                input=json.dumps(execution_input))
        except sfn.exceptions.ExecutionAlreadyExists:
            pass
    return {"batchItemFailures": failures}
