"""Who gets a conversation: department queues, round robin or least loaded, within each person's capacity,
never someone on leave; Welsh conversations go to Welsh speakers when there are any."""

from dataclasses import dataclass

ASSIGNABLE_ROLES = ("agent", "department_staff", "supervisor")


@dataclass(frozen=True)
class Candidate:
    user_id: str
    capacity: int
    load: int
    languages: tuple[str, ...] = ("en",)

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


def in_queue(user: dict, department: str | None) -> bool:
    """Whether `user` (a staff account document) works `department`'s queue."""
    departments = user.get("departments") or []
    return bool(department) and ("*" in departments or department in departments)


def eligible(candidates: list[Candidate], *, language: str | None) -> list[Candidate]:
    """Those with room, sorted by id; Welsh speakers only for Welsh when any has room."""
    room = sorted((c for c in candidates if c.has_room), key=lambda c: c.user_id)
    if language and language != "en":
        speakers = [c for c in room if language in c.languages]
        if speakers:
            return speakers
    return room


def round_robin(candidates: list[Candidate], turn: int) -> Candidate | None:
    """The candidate whose turn it is (`turn` counts up from 1 per department)."""
    return candidates[(turn - 1) % len(candidates)] if candidates else None


def least_loaded(candidates: list[Candidate]) -> Candidate | None:
    return min(candidates, key=lambda c: (c.load, c.user_id), default=None)
