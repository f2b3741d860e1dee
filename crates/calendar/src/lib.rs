//! PRC official working-day calendar and statutory period arithmetic (work in progress).
