/**
 * Circuit breakers per host for {@code WebClient}, judged by fusebox-http's classifier: see
 * {@link dev.fusebox.spring.webclient.FuseboxWebClientFilter}.
 */
package dev.fusebox.spring.webclient;
