package io.nnserve;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The entry point; every feature lives in its own package below this one. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NnserveApplication {

    public static void main(String[] args) {
        SpringApplication.run(NnserveApplication.class, args);
    }
}
