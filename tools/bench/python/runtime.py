"""The Python side of a cold-start run: what the Lambda runtime would do for one first invocation.

Imports the handler module (its init: boto3 and the client, as at the top of a Lambda module), builds the event
the Java run gets, invokes the handler once and prints RESPONSE <result> the moment it returns.

Usage: python runtime.py <handler module> <owner> <game server id> <player count>
"""
import importlib
import json
import sys


def api_event(method, path, owner, gameserver_id, body):
    return {
        "version": "2.0",
        "routeKey": method + " " + ("/gameservers/{id}" if gameserver_id else path),
        "rawPath": path,
        "pathParameters": {"id": gameserver_id} if gameserver_id else None,
        "body": body,
        "isBase64Encoded": False,
        "requestContext": {
            "requestId": "cold-start",
            "authorizer": {"jwt": {"claims": {"sub": owner, "username": owner}}},
        },
    }


def insert_event(owner, gameserver_id):
    image = {
        "owner": {"S": owner},
        "gameserver_id": {"S": gameserver_id},
        "config": {"M": {"difficulty": {"S": "easy"}, "player_count": {"N": "4"}, "seed": {"S": "s33d"}}},
        "generation": {"N": "1"},
        "placement": {"M": {
            "account_id": {"S": "123456789012"},
            "region": {"S": "us-east-1"},
            "role_arn": {"S": "arn:aws:iam::123456789012:role/stackfleet-workload-access"},
        }},
        "stack_name": {"S": "stackfleet-" + gameserver_id},
        "status": {"S": "CREATE_PENDING"},
        "release": {"S": "3f9a2c1d4b5e"},
        "created_at": {"S": "2026-11-27T18:00:00Z"},
        "updated_at": {"S": "2026-11-27T18:00:00Z"},
    }
    return {"Records": [{
        "eventID": "cold-start-" + gameserver_id,
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": {"owner": {"S": owner}, "gameserver_id": {"S": gameserver_id}},
            "NewImage": image,
            "SequenceNumber": "100000000000000000001",
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }]}


EVENTS = {
    "get_game_server": lambda o, i, n: api_event("GET", "/gameservers/" + i, o, i, None),
    "list_game_servers": lambda o, i, n: api_event("GET", "/gameservers", o, None, None),
    "create_game_server": lambda o, i, n: api_event(
        "POST", "/gameservers", o, None, '{"config": {"difficulty": "easy", "player_count": 4}}'),
    "update_game_server": lambda o, i, n: api_event(
        "PATCH", "/gameservers/" + i, o, i, '{"config": {"player_count": ' + n + "}}"),
    "delete_game_server": lambda o, i, n: api_event("DELETE", "/gameservers/" + i, o, i, None),
    "stream": lambda o, i, n: insert_event(o, i),
    "reconcile": lambda o, i, n: {"source": "aws.scheduler"},
}


def main(module_name, owner, gameserver_id, player_count):
    module = importlib.import_module(module_name)
    event = EVENTS[module_name](owner, gameserver_id, player_count)
    result = module.handler(event, None)
    print("RESPONSE " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
