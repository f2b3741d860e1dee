//! RFC 6962/9162 Merkle log (work in progress).
