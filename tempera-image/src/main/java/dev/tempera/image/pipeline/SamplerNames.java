package dev.tempera.image.pipeline;

import java.util.Map;

/** Scheduler registry names → the names image tools show ("Euler a", "DPM++ 2M Karras"; diffusers' docs mapping). */
final class SamplerNames {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("euler", "Euler"),
            Map.entry("euler_a", "Euler a"),
            Map.entry("ddim", "DDIM"),
            Map.entry("dpmpp_2m", "DPM++ 2M"),
            Map.entry("dpmpp_2m_karras", "DPM++ 2M Karras"),
            Map.entry("dpmpp_2m_sde", "DPM++ 2M SDE"),
            Map.entry("dpmpp_2m_sde_karras", "DPM++ 2M SDE Karras"),
            Map.entry("pndm", "PNDM"),
            Map.entry("lms", "LMS"),
            Map.entry("lcm", "LCM"));

    private SamplerNames() {
    }

    static String of(String registryName) {
        return NAMES.getOrDefault(registryName, registryName);
    }
}
