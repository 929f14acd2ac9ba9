package io.nnserve.system;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts the connection pool behind {@link FailFastDataSource}, for every user of the database alike. */
@Configuration(proxyBeanMethods = false)
class DatabaseGuardConfiguration {

    /**
     * How often, while the database is away, one request tries it again (the others are refused at once): short
     * next to the outage, long next to a request.
     */
    static final long RETRY_MILLIS = 1000;

    @Bean
    static BeanPostProcessor failFastDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof FailFastDataSource)
                        ? new FailFastDataSource(dataSource, RETRY_MILLIS, System::nanoTime) : bean;
            }
        };
    }
}
