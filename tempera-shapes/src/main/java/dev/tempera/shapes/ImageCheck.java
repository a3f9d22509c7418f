package dev.tempera.shapes;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ImageChecker} made of an image: a scene, or "unknown" with the reason.
 *
 * @param scene the recognised scene, empty when the image is not (recognisably) a Shapes-world scene
 * @param reason why the scene is unknown, or {@code "recognised"}
 */
public record ImageCheck(Optional<Scene> scene, String reason) {

    public ImageCheck {
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(reason, "reason");
    }

    static ImageCheck known(Scene scene) {
        return new ImageCheck(Optional.of(scene), "recognised");
    }

    static ImageCheck unknown(String reason) {
        return new ImageCheck(Optional.empty(), reason);
    }

    /** Whether a scene was recognised. */
    public boolean isKnown() {
        return scene.isPresent();
    }

    @Override
    public String toString() {
        return scene.map(Scene::toString).orElse("unknown (" + reason + ")");
    }
}
