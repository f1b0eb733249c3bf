//! The HTTP listener the server, the benchmark and the tests share.

use axum::serve::{ListenerExt, TapIo};
use axum::Router;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections send without delay (see [`no_delay`]).
pub type Listener = TapIo<TcpListener, fn(&mut TcpStream)>;

/// Listens on `addr` (port 0 picks a free one); returns the listener and its address.
pub async fn bind(addr: SocketAddr) -> io::Result<(Listener, SocketAddr)> {
    let tcp = TcpListener::bind(addr).await?;
    let local = tcp.local_addr()?;
    Ok((tcp.tap_io(no_delay as fn(&mut TcpStream)), local))
}

/// Serves `app` on `listener`, with each request's peer address, until `shutdown` ends.
pub async fn serve(
    listener: Listener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serves `app` on a free loopback port until the task is dropped (the benchmark and the
/// tests); returns the address and the serving task.
pub async fn spawn_on_loopback(
    app: Router,
) -> io::Result<(SocketAddr, tokio::task::JoinHandle<io::Result<()>>)> {
    let (listener, addr) = bind(([127, 0, 0, 1], 0).into()).await?;
    let task = tokio::spawn(serve(listener, app, std::future::pending()));
    Ok((addr, task))
}

/// A page streams in several writes (the shell, then each resolved `Suspense`). With
/// Nagle's algorithm on, a later write on a kept-alive connection waits for the browser's
/// delayed acknowledgement of the earlier one — 40 ms on Linux, on every page.
fn no_delay(stream: &mut TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY could not be set");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener as _;

    #[tokio::test]
    async fn accepted_connections_send_without_delay() {
        let (mut listener, addr) = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (accepted, peer) = listener.accept().await;
        assert_eq!(peer, client.local_addr().unwrap());
        assert!(accepted.nodelay().unwrap());
        // The client side is the operating system's default: the listener set it.
        assert!(!client.nodelay().unwrap());
    }
}
