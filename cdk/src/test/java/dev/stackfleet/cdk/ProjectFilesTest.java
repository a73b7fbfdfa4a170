package dev.stackfleet.cdk;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {

    @Test
    void aMissingJarSaysHowToBuildIt(@TempDir Path root) {
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> new ProjectFiles(root).require(ProjectFiles.API_JAR));

        assertTrue(error.getMessage().contains(ProjectFiles.API_JAR), error.getMessage());
        assertTrue(error.getMessage().contains("mvn -pl cdk -am package"), error.getMessage());
    }

    @Test
    void aMissingDefinitionNamesTheFile(@TempDir Path root) {
        IllegalStateException error = assertThrows(
                IllegalStateException.class, () -> new ProjectFiles(root).require(ProjectFiles.PROVISION_ASL));

        assertTrue(error.getMessage().contains("statemachines/provision.asl.json"), error.getMessage());
    }

    @Test
    void theRepositoryFilesThisAppReadsArePresent() {
        ProjectFiles files = ProjectFiles.locate();
        for (String path : new String[] {
            ProjectFiles.API_JAR,
            ProjectFiles.STREAM_JAR,
            ProjectFiles.RECONCILER_JAR,
            ProjectFiles.STREAM_EVENT_SOURCE,
            ProjectFiles.PROVISION_ASL,
            ProjectFiles.DEPROVISION_ASL,
            ProjectFiles.ROLLOUT_ASL,
            ProjectFiles.WORKLOAD_ACCESS_TEMPLATE
        }) {
            assertTrue(Path.of(files.require(path)).isAbsolute(), path);
        }
    }
}
