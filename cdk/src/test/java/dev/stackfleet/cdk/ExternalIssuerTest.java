package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stackfleet.core.OwnerClaim;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** With jwtIssuer and jwtAudience set, the API trusts that provider and no user pool is created. */
class ExternalIssuerTest {

    @Test
    void apiAcceptsTokensOfTheConfiguredIssuerAndAudience() {
        // GIVEN an external OpenID Connect provider and an alarm topic
        Config config = new Config(
                "111111111111",
                "eu-west-1",
                List.of(Config.PoolEntry.open("222222222222")),
                10,
                5,
                60,
                8,
                Optional.of(new Config.Jwt(
                        "https://login.example.com/",
                        List.of("stackfleet-api", "stackfleet-cli"),
                        OwnerClaim.ISSUER_AND_SUBJECT)),
                50,
                100,
                Optional.of("arn:aws:sns:eu-west-1:111111111111:stackfleet-alarms"),
                List.of());

        // WHEN the control plane is synthesized
        Template template =
                Template.fromStack(new ControlPlaneStack(new App(), "ExternalIssuer", config, ProjectFiles.locate()));

        // THEN the authorizer checks that issuer and those audiences, and Cognito is absent
        template.hasResourceProperties(
                "AWS::ApiGatewayV2::Authorizer",
                Map.of(
                        "AuthorizerType",
                        "JWT",
                        "JwtConfiguration",
                        Map.of(
                                "Issuer",
                                "https://login.example.com/",
                                "Audience",
                                List.of("stackfleet-api", "stackfleet-cli"))));
        template.resourceCountIs("AWS::Cognito::UserPool", 0);
        template.resourceCountIs("AWS::Cognito::UserPoolClient", 0);
        // AND every alarm notifies the topic
        template.allResourcesProperties(
                "AWS::CloudWatch::Alarm",
                Map.of("AlarmActions", List.of("arn:aws:sns:eu-west-1:111111111111:stackfleet-alarms")));
        template.resourceCountIs("AWS::CloudWatch::Alarm", 9);
        assertTrue(template.findOutputs("UserPoolId").isEmpty(), "no user pool output");
        // AND owners are that issuer's subjects, qualified by the issuer
        Map<String, Map<String, Object>> apiFunctions = template.findResources(
                "AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("dev\\.stackfleet\\.api\\..*"))));
        assertEquals(5, apiFunctions.size());
        apiFunctions
                .values()
                .forEach(function -> assertEquals(
                        "iss+sub",
                        Json.tree(function)
                                .at("/Properties/Environment/Variables/OWNER_CLAIM")
                                .asText()));
    }
}
