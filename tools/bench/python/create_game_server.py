"""POST /gameservers: the current release, the account pool and the quota read, then the server, its quota slot
and its account slot in one transaction, as CreateGameServerHandler."""
import datetime
import json
import os
import secrets

import boto3

TABLE = os.environ["TABLE_NAME"]
QUOTA_TABLE = os.environ["QUOTA_TABLE_NAME"]
POOL_TABLE = os.environ["ACCOUNT_POOL_TABLE_NAME"]
RELEASES_TABLE = os.environ["RELEASES_TABLE_NAME"]
MAX_SERVERS = int(os.environ.get("MAX_SERVERS_PER_OWNER", "10"))
REGION = os.environ["AWS_REGION"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    config = json.loads(event["body"])["config"]
    if config.get("difficulty") not in ("easy", "normal", "hard") or not 1 <= int(config["player_count"]) <= 16:
        return {"statusCode": 400, "body": json.dumps({"error": "invalid_config"})}
    release = dynamodb.get_item(
        TableName=RELEASES_TABLE, Key={"pk": {"S": "current"}, "sk": {"S": "release"}}, ConsistentRead=True
    )["Item"]["version"]["S"]
    pool = dynamodb.scan(
        TableName=POOL_TABLE,
        ConsistentRead=True,
        ProjectionExpression="#id, #region, #capacity, #state, #used",
        ExpressionAttributeNames={"#id": "account_id", "#region": "region", "#capacity": "capacity",
                                  "#state": "state", "#used": "used"},
    )["Items"]
    open_accounts = [a for a in pool if a["state"]["S"] == "open"]
    account = max(open_accounts, key=lambda a: int(a["capacity"]["N"]) - int(a.get("used", {"N": "0"})["N"]))
    account_id = account["account_id"]["S"]
    held = dynamodb.get_item(TableName=QUOTA_TABLE, Key={"owner": {"S": owner}}, ConsistentRead=True)
    if len(held.get("Item", {}).get("servers", {}).get("SS", [])) >= MAX_SERVERS:
        return {"statusCode": 403, "body": json.dumps({"error": "quota_exceeded"})}
    gameserver_id = "gs-" + "".join(secrets.choice(ALPHABET) for _ in range(20))
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    item = {
        "owner": {"S": owner},
        "owner_name": {"S": owner},
        "gameserver_id": {"S": gameserver_id},
        "config": {"M": {
            "difficulty": {"S": config["difficulty"]},
            "player_count": {"N": str(config["player_count"])},
            "seed": {"S": config.get("seed", secrets.token_hex(8))},
        }},
        "generation": {"N": "1"},
        "placement": {"M": {
            "account_id": {"S": account_id},
            "region": {"S": REGION},
            "role_arn": {"S": "arn:aws:iam::" + account_id + ":role/stackfleet-workload-access"},
        }},
        "stack_name": {"S": "stackfleet-" + gameserver_id},
        "status": {"S": "CREATE_PENDING"},
        "release": {"S": release},
        "created_at": {"S": now},
        "updated_at": {"S": now},
    }
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": TABLE, "Item": item, "ConditionExpression": "attribute_not_exists(gameserver_id)"}},
        {"Update": {
            "TableName": QUOTA_TABLE,
            "Key": {"owner": {"S": owner}},
            "UpdateExpression": "ADD #servers :id",
            "ConditionExpression": "attribute_not_exists(#servers) OR size(#servers) < :limit",
            "ExpressionAttributeNames": {"#servers": "servers"},
            "ExpressionAttributeValues": {":id": {"SS": [gameserver_id]}, ":limit": {"N": str(MAX_SERVERS)}},
        }},
        {"Update": {
            "TableName": POOL_TABLE,
            "Key": {"account_id": {"S": account_id}},
            "UpdateExpression": "ADD #servers :id, #used :one",
            "ConditionExpression": "#state = :open AND attribute_not_exists(#quarantine) AND #used < #capacity",
            "ExpressionAttributeNames": {"#servers": "servers", "#used": "used", "#state": "state",
                                         "#quarantine": "quarantine_reason", "#capacity": "capacity"},
            "ExpressionAttributeValues": {":id": {"SS": [gameserver_id]}, ":one": {"N": "1"}, ":open": {"S": "open"}},
        }},
    ])
    return {"statusCode": 201, "headers": {"Location": "/gameservers/" + gameserver_id},
            "body": json.dumps({"gameserver_id": gameserver_id, "status": "CREATE_PENDING"})}
