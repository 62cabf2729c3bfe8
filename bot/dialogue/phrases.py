"""What the tutor says, as data: varied wording for each move."""

from __future__ import annotations

RECHECK: dict[str, tuple[str, ...]] = {
    "numeric": (
        "Not yet. How did you get {candidate}? Tell me your first step, and check that one.",
        "Let's test {candidate}: estimate roughly how big the answer should be. "
        "Is {candidate} near that?",
        "Which operation did you do first, and why that one? Check it once more.",
    ),
    "expression": (
        "Not yet. Put {candidate} back into the problem: does it make both sides equal?",
        "Walk me through your steps: what did you do to both sides first?",
        "Check your signs: when a term moved across the equals sign, what happened to it?",
    ),
    "conditions": (
        "{candidate} does make the equation true. Read the question once more: what else "
        "does it ask of the answer?",
        "Check {candidate} against every condition in the question: which one does it miss?",
    ),
    "equation_step": (
        "Not yet. Does {candidate} follow from the line before it? What did you do to both "
        "sides to get there?",
        "Check that step once more: what did you do to both sides, and did you do it to every "
        "term?",
        "Check your signs in {candidate}: when a term moved across the equals sign, what "
        "happened to it?",
    ),
    "exact": (
        "Not quite. Walk me through how you got {candidate}: which step are you least sure of?",
        "Read the question once more: what exactly does it ask for, and in what form?",
        "Check your last step: does {candidate} say exactly what the question asks for?",
    ),
    "layout": (
        "Those are the right values. Now the layout: does the program print them on one "
        "line, or each on a line of its own?",
        "The values are right; check how they come out. What does each print do at the end "
        "of its line?",
    ),
    "unit": (
        "Check the unit of {candidate}: which unit does the question ask for, and is your "
        "answer in it?",
        "Look at the unit once more: is {candidate} in the unit the question asks for?",
    ),
    "accents": (
        "Very close. Check the accents in {candidate}: which letters need one?",
        "Nearly there. Look at the accents once more: where does {candidate} need one?",
    ),
    "ratio": (
        "The question asks for a ratio: two amounts compared, written with a colon (a:b). "
        "How does your answer look written that way?",
        "Check the form once more: is {candidate} written as a ratio, a:b?",
    ),
    "one_number": (
        "{candidate} is written as a ratio, but the question asks for one number (a "
        "fraction, a decimal or a percent). What is your answer as one number?",
        "Check the form once more: the question wants one number, not a ratio like {candidate}.",
    ),
    "spelling": (
        "Very close. Check the spelling of {candidate}, letter by letter.",
        "Nearly there, but the spelling is off. Read {candidate} slowly: where does it "
        "differ from the word you mean?",
    ),
    "code": (
        "Not quite. Trace it line by line: what is each value after each line runs?",
        "Pick the line you relied on most and read it again: what does it do exactly?",
        "Check the very last step: what is printed or returned, in what form?",
    ),
    "choice": (
        "What would have to be true for that option to be right?",
        "Try ruling options out: which one can you show is wrong, and why?",
    ),
    "pattern": (
        "Not quite. Which part of the problem does your answer address, and which part not yet?",
        "Read the question again: what exactly is it asking for?",
    ),
}
YOUR_ANSWER = "your answer"  # what a re-check question says for an answer too long to quote
DIAGNOSED = "Let's look again at one step: {step}. What did you do there?"
HEDGED = (
    "You offered more than one answer. Pick the one you believe, and tell me why you chose it.",
    "Which one would you bet on? Commit to one and say what makes it right.",
)
DONT_KNOW_FIRST = "That's fine, let's make the first step smaller."
EMPTY = "I didn't catch an answer there. Here's a smaller first step:"
OFF_TOPIC = "Let's stay with this problem. Here's a way in:"
ANSWER_REQUEST = (
    "I won't hand you the answer: working it out is what makes it stick. I can make the next "
    "step smaller, though."
)
HINT_HEADERS = ("Here's a nudge:", "A more specific hint:", "Here's a worked step:")
NO_MORE_HINTS = (
    "That was the last hint: the worked step above shows the way. Try finishing it, or type "
    "`skip` to move on."
)
AUTO_HINT = "Let me help a little."
REVEALED = "Let's look at it together: the answer is {answer}. {worked}"
CORRECT = ("Yes, that's right.", "Correct.", "That's it.", "Exactly right.")
CORRECT_AFTER_HINTS = "Yes, you got there."
REFLECT_AGAIN = "Even a rough idea helps, in your own words: {question}"
REFLECTION_THANKS = (
    "Good: explaining why it works is what makes it stick.",
    "Thanks, that's the idea worth keeping.",
    "Nice, putting it in your own words is the point.",
)
REVEALED_REFLECT = "Now, in your own words: {question}"
# A statement, not a question: it often follows a message that asked one already.
CLOSED_NEXT = (
    "When you're ready, type `next` for the next one (or `progress` to see where you are)."
)
LEAK_FALLBACK = "Let's keep working on it: what is your next step?"
DEFAULT_REFLECTION = "What would you tell a friend who got this one wrong?"
PROBE_VAGUE = "Take your time. One concrete detail is enough to start:"
REFLECTION_SUMMARY = "Here's what you worked out:"
REFLECTION_OPEN = "Still worth sharpening later:"
REFLECTION_DONE = "That's specific enough to act on. Well done."
REVIEW_REMEMBERED = "Yes, that's right: it's still there."
REVIEW_AGAIN_SOON = "No worries: this one will come back a little sooner."
PLACEMENT_RIGHT = "Right."
PLACEMENT_NOTED = "Thanks, noted."
PLACEMENT_SKIPPED = "Skipped, no problem."
UNCHECKED = (
    "I couldn't check that one: it's too big or too tangled for me to work out. "
    "Can you write it more simply?"
)
SMALLER_STEP_LEADS = {
    "empty": EMPTY,
    "dont_know": DONT_KNOW_FIRST,
    "answer_request": ANSWER_REQUEST,
    "off_topic": OFF_TOPIC,
}
SMALLER_STEP_LEADS["feeling"] = (
    "That's a normal feeling at this point: it means you're working right at the edge of what "
    "you know. One small step:"
)
TRY_AND_SEE = (
    "Try it and see: what do you get if you {step}?",
    "What happens if you {step}? Try it, and tell me what you get.",
)
CLARIFY = (
    "Good question. Here it is again (if it's still unclear, `hint` gives a first step): {prompt}"
)
CLARIFY_CONCEPT = (
    "Good question. This one is about {concept}. Here it is again (if it's still unclear, "
    "`hint` gives a first step): {prompt}"
)
CHITCHAT = "Whenever you're ready: give the problem a go, or type `hint` for a first step."
ROUNDED = "That's the right value, rounded. What is it exactly?"
ROUNDED_FRACTION = "That's the right value, rounded. What is it exactly, as a fraction?"
PICK_AN_OPTION = "Which option do you pick? Its letter is enough, and a word on why helps."
PICK_UNLISTED = "That isn't one of the options. Which of them do you pick? Its letter is enough."
RULED_OUT = (
    "Ruling options out is a good way in. Which one do you pick, and why?",
    "That narrows it down. So which option is it?",
)
SET_ASIDE = (
    "So you'd rule that out. What do you think it is, then?",
    "That's one thing it isn't, you say. What is it, then?",
)
ON_THE_WAY = "Right so far: {step} holds. Keep going: what do you get in the end?"
ON_THE_WAY_SUM = "That's the right sum to do: {step}. What does it come to?"
# Replies to the tutor's questions, each worded anew within one exercise.
SAY_IT_IN_CODE = (
    "Now put that into code: what exactly would you write?",
    "Say it in code: what is the line itself?",
)
REPLY_HEARD_EXPECTED = (
    "Yes, that's the key point. With that in mind, what's your answer to the problem now?",
    "Exactly, that's what matters here. So what do you get for the problem?",
)
REPLY_HEARD = (
    "OK, noted. Keeping that in mind, what do you get for the problem now?",
    "Thanks. With that, have another go: what's your answer to the problem?",
    "Got it. Now back to the problem itself: what do you get?",
)
TRY_FIRST = (
    "Have a go with the hint you have first: any answer, even a rough one. "
    "After a try I'll show you a worked step.",
    "A wrong answer is fine here: it shows me where to help. What's your best guess so far?",
    "Write down whatever you have, even half an idea or a number you're unsure of. "
    "Then the worked step comes.",
)
WHY_FOLLOW_UP = "Say a bit more, in a sentence: which step made it work, and why does it work?"
LOOK_AGAIN = "Not quite what I was after. Have another look: {question}"
WHY_FOLLOW_UP_IDEA = "Try to put it in terms of {idea}: why does that matter here?"
MODEL_EXPLANATION = "Here's one way to say it: {explanation}"
SKIPPED_ANSWER_KEPT = (
    "Skipped. I'll keep its answer to myself: it comes back later, and you can try it fresh then."
)
SKIPPED_WITH_ANSWER = "Skipped. Here's how it goes: {worked}\nThe answer: {answer}."
PLACEMENT_HELP = (
    "This is a quick check of what you already know, so there are no hints here. "
    "Answer as best you can, or say `idk` and we'll start from the beginning of it."
)
MIND_THE_ACCENT = "Mind the accent, though: it's written {answer}."
WRITE_POWERS = "One thing: write a power with ^ (x^2 for x squared), or x2 may be read as 2x."
WORKING_SOUND = "Your working holds up, too."
CHECK_STEP = (
    "One step of your working needs another look, though: {step}. What really happens at that step?"
)
