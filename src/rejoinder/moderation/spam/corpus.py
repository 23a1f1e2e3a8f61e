"""The built-in labelled corpus: comments as a news site's discussion gets them.

Written for Rejoinder, nothing downloaded. A hand-written core (`HAM`, `SPAM`) carries the
variety that matters: agreement and disagreement, rude but legitimate criticism, questions,
corrections, links to real sources, one-word replies, names from many languages, a few
comments in other languages, and legitimate comments that talk *about* loans, crypto, casinos,
pharmacies or working from home. Spam covers SEO links, crypto and forex, loans, work from
home, fake pharmacies, adult-ish come-ons, recovery scams, obfuscated spellings, link-only
posts, junk and "message me on Telegram". Templates with a fixed seed add volume around that
core.

The split into training and held-out comments is by a hash of each text, so it never changes
when comments are added elsewhere in the corpus.
"""

from __future__ import annotations

import hashlib
import random

from rejoinder.moderation.spam.classifier import Example

HAM: tuple[str, ...] = (
    # Short replies.
    "Agreed.",
    "This.",
    "Well said.",
    "Exactly right.",
    "Spot on.",
    "Nonsense.",
    "Source?",
    "+1",
    "Wow. Just wow.",
    "Not this again.",
    "Exactly what I was going to say.",
    "Thank you for covering this.",
    "Good piece, thank you.",
    "Couldn't agree more, Amal.",
    "Thanks for the correction, I stand corrected.",
    "lol the comments section here is better than the article",
    # Corrections.
    "The council voted 7-4 in favour, not 8-3 as the article says. The minutes are on their website.",
    "Correction: the bridge opened in 1998, not 1989. Small thing but it changes the point about maintenance costs.",
    "Typo in the third paragraph: 'there' should be 'their'.",
    "The photo caption says Leeds but that's clearly York Minster in the background.",
    "Edit: I misread the chart, the drop is in the second quarter. My point still stands though.",
    "The accent on the name is wrong in the headline, it's Dvořák, not Dvorak.",
    "Pretty sure that's a stock photo, the same one was used for the Bristol story last month.",
    "The helpline number in the article is wrong. It's 0800, not 0300.",
    "The writer confuses weather and climate in paragraph four. Come on.",
    "The article says the project is 'on budget' but the original estimate was half what they've spent.",
    "Hiroshi, the 2011 figures aren't comparable, they changed the method in 2015.",
    # Disagreement and opinion.
    "I think the author is missing the bigger picture here. Rents have gone up 30% in five years and wages haven't moved. No budget tweak fixes that.",
    "I disagree with Tom above. Cycling lanes didn't kill the high street, online shopping did.",
    "Tom, you're conflating two different budgets. The capital budget can't be spent on salaries.",
    "Respectfully, you're wrong. The figure includes part-time staff.",
    "You can disagree with the policy without calling everyone who supports it an idiot.",
    "Disagree entirely, but good to see the argument made properly.",
    "I'm not sure the comparison with Denmark works. Their tax base is completely different.",
    "Both parties promised to fix this and neither did. I'll be spoiling my ballot.",
    "Call me cynical, but this announcement three weeks before the election is not a coincidence.",
    "It's not a conspiracy, it's just incompetence. Occam's razor.",
    "Funny how the same people complaining about potholes voted against every road budget.",
    "Not everything is the government's fault. Some of this is on the landlords.",
    "I'm a landlord with one flat. The new rules are fine by me, most of them are common sense.",
    "People keep saying 'just build more houses'. Where? The flood plain?",
    "Boomers bought houses for three times their salary. It's now eleven times. That's the whole story.",
    "I'm 71 and I agree with the young man in the article. We had it easier, simple as that.",
    "Heat pumps work fine in Norway. The problem here is the installers and the upfront cost.",
    "Solar panels paid for themselves in seven years for us, for what it's worth.",
    "The real scandal is the consultancy fees. 4.2 million for a report nobody read.",
    "So the answer is more consultants? Brilliant.",
    "Oh good, another 'review'. That'll fix it.",
    "Worst transfer window in a decade. The board has no plan and everyone can see it.",
    "That penalty was never a penalty. VAR is ruining the game.",
    "I was at the match. The referee got it right, watch the replay from the other angle.",
    "Great result for the women's team, and the attendance was a record too.",
    "The review is too kind. The second half of the film drags badly.",
    "Saw the play on Saturday. The lead actor was brilliant, the set less so.",
    "The quoted economist predicted a recession in 2019, 2020, 2021 and 2022. Eventually he'll be right.",
    "Reminder that the same columnist called the vaccine programme a failure in January 2021.",
    "That's not what 'literally' means, but I take your point.",
    "This whole thread is a mess. Half of you didn't read past the headline.",
    # Rude but legitimate criticism.
    "Rubbish article. Whoever wrote this clearly never set foot in the town.",
    "What a lazy piece of journalism. You quote one anonymous 'insider' and build a whole story on it.",
    "Honestly, the editor should be embarrassed. Three spelling mistakes in the headline alone.",
    "Absolutely shameful. Shame on every councillor who voted for it.",
    "THIS is what people have been saying for years. Finally someone reports it.",
    "Your paper endorsed this plan two years ago. Some humility would be nice.",
    "The author works for a think tank funded by the developers. That should be disclosed.",
    "As someone who grew up in Lagos, the description of the city in this piece is lazy and dated.",
    "Why does every article about young people assume we're all on TikTok?",
    "I cancelled my subscription over stories like this. Renewed it last week because of the flood coverage. Mixed feelings.",
    "Another paywalled link. Can we get the key numbers in the article itself please?",
    "WHAT AN ABSOLUTE DISGRACE. EVERY ONE OF THEM SHOULD RESIGN.",
    "This is the third time this year the trains have been cancelled for 'unforeseen engineering works'. They were foreseen in March.",
    # Questions.
    "Does anyone know whether the new parking rules apply on Sundays? The article doesn't say.",
    "Can someone explain why the vote was delayed again? I thought it was settled last month.",
    "Why is it always the same three councillors blocking everything?",
    "Genuinely curious: how would the proposed tax affect pensioners who rent?",
    "Is there a recording of the meeting anywhere? I'd like to hear what was actually said.",
    "Who is paying for this? Genuine question.",
    "Can we talk about the fact that the new library has fewer books than the old one?",
    "Anyone else getting a 404 on the interactive map?",
    "The interactive map doesn't load on my phone. Works on the laptop.",
    "Please fix the comment sorting, newest first keeps resetting.",
    "The site keeps logging me out. Is that just me?",
    "I'd like to see the journalist ask the follow-up question: what happens if the bid fails?",
    "I've read the article twice and I still don't understand what the council actually decided.",
    "Moderators, why was my comment removed? It didn't break any rules that I can see.",
    "Pronunciation guide would help, half the readers won't know how to say Llanfairpwll.",
    # Evidence and links to real sources.
    "The ONS figures say otherwise: https://www.ons.gov.uk/economy/inflationandpriceindices - food inflation peaked in March, not June.",
    "Here's the full report if anyone wants to read it rather than the summary: https://www.ipcc.ch/report/ar6/syr/",
    "For context, Reuters had the same story yesterday with more detail: https://www.reuters.com/world/europe/",
    "If you're struggling with bills, Citizens Advice is free and they actually help: https://www.citizensadvice.org.uk/debt-and-money/",
    "The Met Office warning was upgraded to amber this morning: https://www.metoffice.gov.uk/weather/warnings-and-advice",
    "Here's the original bill text so you can read clause 14 yourself: https://www.legislation.gov.uk/ukpga/2023/52",
    "The minister's own department published contradicting figures in January: https://www.gov.uk/government/statistics",
    "WHO guidance changed in 2022, the article is out of date on this: https://www.who.int/news-room/fact-sheets",
    "The paper is open access if anyone wants the methods section: https://www.nature.com/articles/s41586-023-06291-2",
    "There's a good explainer on Our World in Data: https://ourworldindata.org/energy",
    "Wikipedia has a decent timeline of the dispute: https://en.wikipedia.org/wiki/Brexit",
    "Full court judgment here: https://www.judiciary.uk/judgments/ - paragraph 83 is the interesting bit.",
    "AP's fact check covers the claim in the second paragraph: https://apnews.com/hub/fact-checking",
    "Sample size of 40 people. I wouldn't read much into this.",
    "The headline is misleading. The study found a correlation, not that coffee causes anything.",
    "Interesting that the article doesn't mention who funded the study.",
    "Fair enough, I hadn't seen the updated figures. Thanks for linking them.",
    # Experience.
    "As a nurse for 22 years I can tell you the waiting times in this article are optimistic.",
    "My grandfather worked at that mill for forty years. Sad to see it go, but it's been empty since 2009.",
    "I used to live on that street. The flooding happens every winter and the drains have never been fixed.",
    "My mum is 84 and waited 11 hours in A&E last month. Something has to give.",
    "We've had three burglaries on our road this year and the police didn't come out once.",
    "The school catchment change is going to split my street in two. Nobody asked us.",
    "Flood insurance is already unaffordable on our estate. We're stuck.",
    "My electricity bill went from 90 to 210 a month. The price cap is a joke.",
    "Energy companies posting record profits while people choose between heating and eating.",
    "The story about the dog rescuing the hiker made my day. More of this please.",
    "Sad news. He was a great teacher, taught both my kids.",
    "RIP. A real gentleman, always had time for everyone at the market.",
    "Congratulations to the team, well deserved after the year they've had.",
    "The journalist did a good job here, this is exactly the kind of local reporting we need more of.",
    "I remember when this paper had a proper letters page.",
    "PLEASE everyone, check on your elderly neighbours during the cold snap.",
    # Legitimate comments on spam-like topics.
    "I work from home three days a week and my productivity is higher, whatever the CEO in this piece claims.",
    "Mortgage rates at 6% are going to hurt a lot of first-time buyers who fixed in 2021. Remortgaging next year is going to be brutal.",
    "Bitcoin uses more electricity than some countries. Why is nobody asking the mining firm about the grid connection?",
    "My pharmacy has been out of amoxicillin for two weeks. The shortage is real, whatever the minister says.",
    "Payday lenders should be regulated like the banks. 1,200% APR is obscene.",
    "The casino licence was refused for good reason. Look at what happened in the last town that got one.",
    "My phone number was in the leaked database too. Anyone heard from the company yet?",
    "The Samaritans are on 116 123 if anyone reading this needs to talk.",
    "If anyone needs the council's flood line it's 0300 123 4567, open 24 hours during the warning.",
    "Don't click on the links in the comments below, they're obviously spam.",
    "The spam in this comment section is getting worse. Moderators, please.",
    "Someone above is advertising crypto again. Reported.",
    "I reported the comment above for abuse. There's no need for that language.",
    "Please keep the discussion civil, people. We can disagree without the insults.",
    "My dad lost his savings to a forex scam that found him on Facebook. The banks did nothing.",
    "Online gambling adverts during every football match is how you end up with a generation of addicts.",
    "Weight loss jabs being sold without prescription online is a scandal waiting to happen.",
    "The loan shark story is chilling. Good on the reporter for getting those women to talk.",
    # Money, markets and technology, which spam talks about too.
    "Forex markets fell sharply after the rate decision, the pound is at a two-year low against the dollar.",
    "Trading was suspended for an hour on the FTSE this morning. Anyone know why?",
    "Bitcoin is a bubble and always has been. The article is far too kind to it.",
    "Crypto ATMs should be banned outright, they exist to help scammers cash out.",
    "The crypto firm's collapse wiped out my brother's savings. The regulator knew for months.",
    "I hold a bit of bitcoin and even I think the mayor's plan to accept it for council tax is daft.",
    "Investing is not gambling, but the trading apps are designed to make it feel like a game.",
    "Trading standards told me to report the doorstep sellers to Action Fraud on 0300 123 2040.",
    "Please don't fall for the 'recovery experts' in the comments. Nobody can get your crypto back.",
    "Interest rates on credit cards are now above 25%. The article should say so.",
    "Loans to small businesses have dried up since the spring, ask any shop owner on the high street.",
    "The online pharmacy regulator is toothless. My mum got sent the wrong dose twice.",
    "Free prescriptions for over-60s is one of the few things that still works.",
    "The new casino will bring 300 jobs, but most of them will be on zero-hours contracts.",
    "Sports betting adverts are everywhere. My twelve year old knows all the odds.",
    "My daughter earns more from her part-time job than I did in my first full-time one, and still can't afford rent.",
    "Remote work is here to stay. Half our office hasn't been in since 2020.",
    "Dating apps have made everyone lonelier, the article is right about that.",
    "Buy now, pay later is just a payday loan with better marketing.",
    "Bank closures mean my dad has to get two buses to deposit a cheque. Online banking isn't for everyone.",
    "The phone scam described here happened to my neighbour. They called from a number that looked like her bank.",
    "Gold has beaten the stock market this year, for what it's worth. Not advice.",
    "The ETF approval moved the bitcoin price, but the real story is the fees.",
    "Wallet apps are not banks and are not protected. People need to know that.",
    "If a stranger online offers to double your money, it's a scam. Every time.",
    "Share prices of the water companies went up while the rivers filled with sewage.",
    "Who actually bought NFTs? Genuine question, I have never met anyone who did.",
    "The pension fund had 4% in crypto. Trustees should explain that at the AGM.",
    "The article says the loan was at 2% interest. The council's own papers say 4.5%.",
    "Mill Lane's crypto ATM was removed after complaints. Good.",
    # Names from many languages.
    "Oluwaseun makes a fair point about the bus routes. Nobody from the north side was consulted.",
    "Zbigniew, with respect, the tax rise was in the manifesto. People voted for it.",
    "Siobhán's comment is spot on. The consultation was a box-ticking exercise.",
    "Nguyễn Thị Mai is right that the translation of the minister's remarks was misleading.",
    "I'm with Priyanka on this one. Schools need the money more than another roundabout.",
    "Kwame, I'd love to see where you got that number from. Everything I've read says the opposite.",
    "Thanks Jürgen, I didn't know the German scheme worked that way.",
    "Hamid, my condolences. Your father did so much for the mosque and the wider community.",
    "Ayşe, your bakery is the best thing that happened to this high street in years.",
    "Małgorzata's point about the Polish school on Saturdays deserves its own article.",
    "Tadhg, the GAA club has been asking for those pitches for a decade.",
    "Chukwuemeka is right, the turnout figures were lower in the wards with no polling station nearby.",
    "Søren, the Danish comparison keeps coming up but nobody mentions their housing co-ops.",
    "Ngozi Okonkwo-Adeyemi's letter in yesterday's edition said it better than I could.",
    "Rafał, the night buses used to run until 3am. Now it's midnight.",
    "Þórunn, the geothermal comparison doesn't really work outside Iceland.",
    "Xiong Wei has it right: the exam results are up because the grade boundaries moved.",
    # Other languages.
    "Хорошая статья, спасибо. Жаль, что мэрия так и не ответила.",
    "Muy buen artículo. El problema de la vivienda es igual en Valencia.",
    "Endlich berichtet jemand darüber. Die Mieten in unserem Viertel haben sich verdoppelt.",
    "Très bon article, merci. La fermeture de la gare est une catastrophe pour le village.",
    "Dziękuję za ten artykuł. Wreszcie ktoś pisze o dojazdach z przedmieść.",
)

SPAM: tuple[str, ...] = (
    # SEO links behind generic praise.
    "Great article! Very informative. Visit my site for more: https://best-seo-tools-cheap.xyz",
    "Nice post. I learned a lot. Check out my blog https://www.quick-rank-seo-booster.com/blog",
    "Thanks for sharing!! www.top10-casino-bonus.online",
    "Thanks for the information. I also have a website about it, please visit: https://home-improvement-tips-guide.info/roofing-contractors-near-me",
    "Very good article. I bookmarked it. cheap replica watches rolex www.luxury-replica-watch.top",
    "Really enjoyed reading this. Also, if anyone needs a reliable locksmith in London, call 020 7946 0321 anytime.",
    "OMG this article changed my life!!! Also check out my giveaway at free-gift-cards-2024.top",
    "Increase your website traffic 1000% with our SEO services, first page of Google guaranteed, DM for prices",
    "Need fake reviews for your business? 5 star Google reviews, real accounts, cheap",
    "Best plumbers near me 24/7 emergency service call +1 415-555-0123 https://plumber-emergency-now.com",
    "For cheap flights and hotels with 80% discount visit travel-deals-cheap.site",
    "Download the latest movies free HD no signup: free-movies-hd-stream.xyz",
    "Write my essay cheap! Professional academic writers, 100% plagiarism free. essaywriters-pro.net",
    "Get 10,000 real Instagram followers for $5!!! Visit our site socialgrowth-fast.store",
    "Buy followers likes views \U0001f449 smm-panel-cheap.pw \U0001f448",
    "Discount codes for all major brands, save 90%!!! couponking-deals.store",
    "Mega sale!!! Ray-Ban sunglasses 90% off today only, shop now raybans-outlet.store",
    "Cheap Nike Air Jordan, free shipping, best quality replica: sneakers-outlet-cheap.shop",
    "Visit my channel for free movies and more!!! subscribe subscribe subscribe subscribe",
    # Link-only and link stuffing.
    "https://cheap-meds-rx-store.shop/viagra",
    "http://bit.ly/3xYfree",
    "Good info. https://loans-online-fast.com https://payday-advance-now.com https://bad-credit-loans-ok.com",
    "https://casino-royal-bonus.vip https://casino-royal-bonus.vip https://casino-royal-bonus.vip",
    "[url=https://cheap-rx-meds.top]cheap meds[/url] [url=https://cheap-rx-meds.top]buy online[/url]",
    '<a href="https://bestvpn-deal.shop">best vpn</a> <a href="https://bestvpn-deal.shop">cheap vpn</a>',
    # Work from home and easy money.
    "I made $8,500 last month working from home just 2 hours a day. I was shocked. Start here: https://homeincome-now.site",
    "My neighbour earns $95 per hour online! Go to this site for more details www.paydaywork.click",
    "Make money online fast and easy no experience needed click here >>> www.easy-money-system.biz",
    "Earn $300 daily with my simple trading method. No experience needed. Text me: +1 (646) 555 0187",
    "Want to learn how I turned $500 into $25,000 in 3 weeks? DM me for details",
    "Let me show you how to make 5 figures monthly from your phone. Inbox me now",
    "Earn from home by liking YouTube videos! Paid daily, $50 per day guaranteed. Message me on Telegram @likejob_hr",
    "HIRING: Data entry work from home, $35/hour, no experience, apply today via WhatsApp +91 98765 43210",
    "Part-time online job, flexible hours, 1 to 2 hours a day, earn 2000-5000 per week. Contact HR on telegram: @anna_hr_job",
    "Hi, I'm recruiting for a remote position, salary $800/week, reply with your whatsapp number",
    "Tired of your boss? Be your own boss! Amazing opportunity, ask me how",
    "Get paid to take surveys! $25 per survey, sign up here: surveys-pay-cash.com",
    "W.O.R.K F.R.O.M H.O.M.E and earn big, no boss, no commute, DM me",
    # Loans and money.
    "Urgent loan approval in 24 hours, bad credit OK, no paperwork. Apply now: fastcash-loans.loan",
    "Need a loan? We offer loans at 2% interest to individuals and businesses. Contact us via email: fastfunding.loans@gmail.com",
    "Loans for everyone, even with bad credit. Instant approval. Call +44 20 3769 5512",
    "Debt relief! Consolidate all your loans today, 0% APR for 24 months, apply now",
    "GOOD NEWS!!! The government is giving $6,400 grants to everyone, check if you qualify at grants-for-all.info",
    "Greetings, I am Barrister Williams, you have an unclaimed inheritance of $4.5 million. Reply with your full name and phone number.",
    "THE END IS NEAR!!! BUY GOLD AND SILVER NOW BEFORE IT'S TOO LATE!!! www.gold-bullion-deals.net",
    # Crypto, forex and recovery scams.
    "I was scammed out of $40,000 in a fake crypto investment until I found RECOVERY EXPERT WIZARD. Contact him on telegram @wizard_recovery",
    "Invest in bitcoin with Mrs Linda Carter, I made 12 BTC in two weeks. Message her on WhatsApp +44 7451 223 908",
    "Forex trading signals 95% accuracy!!! Join our telegram t.me/forexkingsignals",
    "FREE USDT airdrop for the first 1000 users, connect your wallet at usdt-claim-bonus.top",
    "Send 0.1 ETH to 0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE and receive 0.2 ETH back. Limited offer!",
    "I recommend Mr. James Wilson, the best account manager, he helped me get my profit of $78,000. Reach him on WhatsApp: +1 301 555 0142",
    "Best crypto trading bot, 300% return guaranteed. Join now: https://t.me/cryptoprofitbot",
    "Elon Musk is giving away 5000 BTC! Send 0.5 BTC and get 1 BTC back. Official event: elon-btc-giveaway.live",
    "bitcoin doubler legit paying proof 100% trusted admin telegram @btc_doubler_official",
    "Trade binary options with 95% payout. Register now: binaryoption-pro.com",
    "Crypto recovery services. Did you lose money to fake investment platforms? We recover 100%. Contact: fundsrecovery-pro.com",
    "Hacked Facebook account? Lost crypto? Contact Hackerone Recovery at recoverfunds (at) protonmail dot com",
    "I am a professional hacker, I can hack any phone, email, whatsapp, recover lost funds. Contact: cyberhackpro@gmail.com",
    "Join our Telegram group for daily pump signals, 10x guaranteed: t.me/pumpsignals_vip",
    "Fr33 b1tc0in g1veaway, s3nd 0.1 and get 1 back",
    "C R Y P T O profits guaranteed, DM me for the group link",
    # Casinos and betting.
    "c a s i n o bonus 500% deposit match, best slots, play now",
    "\uff57\uff49\uff4e \uff42\uff49\uff47 \uff41\uff54 \uff4f\uff55\uff52 \uff43\uff41\uff53\uff49\uff4e\uff4f \uff54\uff4f\uff44\uff41\uff59",
    "\u0441\u0430sin\u043e onlin\u0435 bonus, fr\u0435\u0435 spins \u0435v\u0435ry day",
    "Bet on football with the best odds, 100% welcome bonus, withdraw instantly: bet-win-pro.vip",
    "Wow this is amazing!! I just won $2000 on the new slot game, you can too: slots-jackpot-win.club",
    "Online casino with no deposit bonus, free spins every day!!! casinofreespins.online",
    "Free spins for new players \U0001f3b0\U0001f3b0\U0001f3b0 crypto casino, instant withdrawal: spin-crypto.bet",
    # Pharmacy and health.
    "Buy v1agra and c1alis online without prescription, discreet shipping, lowest prices!!!",
    "Best online pharmacy \U0001f525 Tramadol, Xanax, Oxycodone no prescription needed. WhatsApp +1 (555) 203-8841",
    "cheap viagra cheap cialis cheap levitra best prices online pharmacy",
    "Buy Adderall online overnight delivery no rx needed, contact us at meds4less (at) gmail",
    "v!agra 50mg 100mg, no prescription, overnight shipping, bulk discounts",
    "Buy c1al1s 20mg online, generic, cheap, fast",
    "P-H-A-R-M-A-C-Y no prescription needed, all meds, worldwide",
    "b\u200bu\u200by c\u200bh\u200be\u200ba\u200bp p\u200bi\u200bl\u200bl\u200bs online",
    "This is the best weight loss pill ever, I lost 20kg in one month! Order now at slim-keto-pills.shop",
    "I lost 15 kg without diet or exercise using this one trick. Doctors hate it! keto-trick.click",
    "Grow your beard in 30 days! Natural oil, free trial: beard-grow-oil.shop",
    "Buy weed online discreet shipping worldwide, THC carts, edibles. Order now: 420-ship-fast.shop",
    # Adult-ish come-ons and scam DMs.
    "Hot singles in your area are waiting to chat with you tonight \U0001f618 meet-lonely-hearts.site",
    "Lonely? Beautiful girls want to meet you. See my private photos, link in my profile",
    "hi dear, i saw your comment and i like you. message me on telegram @sweet_anna_93 \U0001f48b",
    "Hello, I am Jessica, I am looking for serious relationship. Write to me on my email jessica.love1992@mail.ru",
    "Looking for a sugar daddy? Join the best site for sugar babies, free registration today",
    "See my hot video \U0001f51e on my page, you will not regret \U0001f608",
    "Bored at home? Chat with real girls from your city, no credit card required",
    "Adult chat rooms 18+ free registration, discreet, anonymous. chat-18-plus.live",
    "Best Dubai escort service \U0001f618 call girls 24/7, contact now",
    "Click the link in my bio to see the secret the banks don't want you to know",
    "Just sent you a message, please check your inbox",
    "Please check my profile for something special",
    "Check my profile for the link \U0001f60d\U0001f60d\U0001f60d",
    "Spells that work! Bring back your lover in 24 hours. Contact Dr. Okoro powerful spell caster, WhatsApp +234 803 555 1234",
    # Phishing and fake prizes.
    "Your account has been suspended. Verify your details at secure-bank-verify.com to avoid closure.",
    "Congratulations! You have been selected to receive a free iPhone 15. Claim here: prize-claim-now.win",
    "Get your driving licence, passport, ID cards, all registered. Contact us for real documents: realdocs-express.com",
    "Call 1-800-555-0199 now for a free quote on your car insurance, save up to 70%!!",
    # Spam that reads like a comment at first.
    "I never believed in online trading until my cousin introduced me to Mrs. Emily Clarke, now I receive $4,200 every week. You can reach her on WhatsApp +1 (209) 555-0167",
    "Is anyone else getting paid $90/hr on Google from home? I started last month and my first paycheck was $11,000. Copy this site: www.jobsnow-daily.com",
    "Sorry to intrude, but I found a great site for discounted prescription glasses, 70% off: cheapspecs-direct.shop",
    "This article is so true. By the way, I offer professional CV writing services, email me at cvpro.writer@outlook.com for a quote",
    "Anyone interested in buying a verified PayPal or bank account? Message me on telegram @verified_accs",
    "Make your ex come back in 48 hours with my love spell, 100% guaranteed results, contact Dr. Ajayi",
    "Russian brides looking for husbands, free catalogue, visit beautiful-brides-online.site",
    "Top quality counterfeit money for sale, undetectable notes, Euro, Dollar, Pound. Telegram @bestnotes",
    "We buy houses for cash in 7 days, any condition! Call 0800 088 6621",
    "Shop the biggest Black Friday deals on electronics before they're gone! Up to 85% off at megadeals-electronics.store",
    "Watch all premier league matches live free HD no buffering: footy-streams-hd.live",
    "Great work, admin! I also write on this topic, my latest post is here: https://newsblog-hub-seo.com/top-10-tips",
    "Bro this is wild lol anyway check out my OnlyFans, link in bio",
    "Unlock any iPhone, remove iCloud lock, 100% working method, contact us via WhatsApp",
    "\u2705 Guaranteed 1st page on Google \u2705 500 backlinks for $49 \u2705 Order on fiverr or DM",
    "Need an urgent business loan? Low interest 3%. Email: rapidcapital.lender@yahoo.com WhatsApp: +1 (302) 555-0179",
    # Junk.
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "asdfghjkl asdfghjkl asdfghjkl asdfghjkl",
    "lolololololololololololololololololololololololol",
    "FOLLOW ME FOLLOW ME FOLLOW ME FOLLOW ME FOLLOW ME",
    "kkkkkkkkkkkkkkkkkkkkk buy now buy now buy now buy now",
)

_NAMES = (
    "Amal", "Tom", "Oluwaseun", "Zbigniew", "Siobhan", "Mai", "Priyanka", "Kwame", "Jurgen",
    "Ayse", "Tadhg", "Ngozi", "Hiroshi", "Rafal", "Zainab", "Mehmet", "Bogdan", "Aoife",
    "Lucia", "Dmitri", "Fatima", "Eilidh", "Kofi", "Ines", "Jan", "Yusuf", "Marta", "Wei",
)  # fmt: skip
_SUBJECTS = (
    "the new bus lane", "the library closure", "the budget vote", "the stadium plan",
    "the hospital merger", "the school funding formula", "the housing target",
    "the tram extension", "the parking charges", "the river clean-up", "the council tax rise",
    "the new cycle route", "the bin collection changes", "the festival licence",
    "the speed camera on the high road", "the care home closure", "the airport expansion",
    "the wind farm application", "the mayor's transport plan", "the new planning rules",
)  # fmt: skip
_STANCES = (
    "is long overdue", "is a waste of money", "will hurt the people who can least afford it",
    "makes sense on paper but the details are missing", "was rushed through without proper consultation",
    "is the best idea the council has had in years", "is going to be reversed within two years",
    "is fine, but the timing is terrible", "deserves more scrutiny than it got here",
    "is being misrepresented by both sides",
)  # fmt: skip
_REASONS = (
    "Nobody has explained how it will be paid for.",
    "The article could have said so more clearly.",
    "I'd like to see the figures before I make up my mind.",
    "Look at what happened when they tried the same thing in Sheffield.",
    "The residents who turned up to the meeting were ignored.",
    "My neighbours are split on it, for what it's worth.",
    "The opposition would have done exactly the same.",
    "It's the maintenance costs that will bite in ten years.",
    "The consultation closed before most people had heard of it.",
    "I've changed my mind on this twice already.",
)
_OPENERS = (
    "I think", "Honestly,", "In my view", "To be fair,", "Frankly,", "As a resident,",
    "Speaking as a teacher,", "As someone who commutes daily,", "With respect to the author,",
    "For what it's worth,", "As a small business owner,", "Having lived here 30 years,",
)  # fmt: skip
_SOURCES = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity",
    "https://www.bbc.co.uk/news/uk-politics",
    "https://www.theguardian.com/uk-news",
    "https://www.reuters.com/business/",
    "https://www.parliament.uk/business/publications/",
    "https://www.oecd.org/economy/",
    "https://www.imf.org/en/Publications/WEO",
    "https://data.worldbank.org/indicator",
    "https://www.ft.com/content/",
    "https://www.census.gov/data.html",
)
_QUESTIONS = (
    "when the work is supposed to start",
    "whether the figures include VAT",
    "who actually signed this off",
    "if there will be another consultation",
    "how many jobs this is supposed to create",
    "whether the decision can be appealed",
    "what the neighbouring councils did",
    "why the report was published on a Friday night",
)
_SHORT = (
    "Agreed, {name}.", "Well put, {name}.", "Thanks {name}, that's useful.",
    "{name}, that's not what the article says.", "Sorry {name}, I don't buy it.",
    "Good point, {name}.", "{name}: source please?", "Ha, fair enough {name}.",
)  # fmt: skip


def _templated_ham(rng: random.Random) -> list[str]:
    comments: list[str] = []
    for _ in range(40):
        comments.append(
            f"{rng.choice(_OPENERS)} {rng.choice(_SUBJECTS)} {rng.choice(_STANCES)}. "
            f"{rng.choice(_REASONS)}"
        )
    for _ in range(20):
        name, subject = rng.choice(_NAMES), rng.choice(_SUBJECTS)
        comments.append(
            f"{name} is right about {subject}, but {rng.choice(_REASONS).lower()}"
            if rng.random() < 0.5
            else f"I don't agree with {name}. {subject.capitalize()} {rng.choice(_STANCES)}."
        )
    for _ in range(15):
        comments.append(
            f"On {rng.choice(_SUBJECTS)}: the numbers are here if anyone wants them "
            f"{rng.choice(_SOURCES)} - {rng.choice(_REASONS).lower()}"
        )
    for _ in range(15):
        comments.append(
            f"Does anyone know {rng.choice(_QUESTIONS)} on {rng.choice(_SUBJECTS)}? "
            "The article doesn't say."
        )
    for _ in range(12):
        comments.append(rng.choice(_SHORT).format(name=rng.choice(_NAMES)))
    return comments


_SPAM_WORDS = (
    "cheap", "best", "top", "fast", "easy", "free", "quick", "pro", "mega", "vip", "smart",
)  # fmt: skip
_SPAM_GOODS = (
    "loans", "pills", "casino", "seo", "crypto", "followers", "essays", "replica", "slots",
    "deals", "meds", "forex", "bets", "traffic", "cash",
)  # fmt: skip
_SPAM_TLDS = ("xyz", "top", "shop", "site", "online", "club", "vip", "com", "info", "store")
_PRAISE = (
    "Great post!", "Very informative article.", "Thanks for sharing this.",
    "Nice blog, keep it up.", "Amazing content!!", "I really like this website.",
    "Excellent read, bookmarked.", "Wonderful article, thank you.",
)  # fmt: skip
_CTA = ("Visit my site:", "Check out", "More info here:", "Click here:", "See", "Go to")
_SCAM_CHANNELS = ("WhatsApp", "Telegram", "Signal", "Viber")
_SCAMMERS = (
    "Mr. Robert Hayes", "Mrs. Helen Brooks", "Dr. Patricia Moore", "Mr. Kevin Adams",
    "Mrs. Sarah Collins", "Expert Daniel Hunt",
)  # fmt: skip
_DRUGS = ("viagra", "cialis", "tramadol", "xanax", "valium", "adderall", "ozempic", "phentermine")
_LEET = str.maketrans("aeio", "4310")


def _spam_url(rng: random.Random) -> str:
    host = f"{rng.choice(_SPAM_WORDS)}-{rng.choice(_SPAM_GOODS)}{rng.randint(1, 99)}.{rng.choice(_SPAM_TLDS)}"
    return f"https://{host}" if rng.random() < 0.6 else host


def _phone(rng: random.Random) -> str:
    return f"+{rng.choice((1, 44, 234, 91, 61))} {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _handle(rng: random.Random) -> str:
    return f"@{rng.choice(('mark', 'anna', 'crypto', 'invest', 'profit', 'mary', 'coach'))}_{rng.randint(10, 999)}"


def _obfuscate(word: str, rng: random.Random) -> str:
    how = rng.randrange(4)
    if how == 0:
        return word.translate(_LEET)
    if how == 1:
        return " ".join(word)
    if how == 2:
        return "\u200b".join(word)
    return word.upper()


def _templated_spam(rng: random.Random) -> list[str]:
    comments: list[str] = []
    for _ in range(18):
        comments.append(f"{rng.choice(_PRAISE)} {rng.choice(_CTA)} {_spam_url(rng)}")
    for _ in range(10):
        amount = rng.choice(("$500", "$1,200", "$3,000", "$7,500", "$350"))
        period = rng.choice(("a day", "per week", "every week", "a month"))
        contact = (
            f"Message me on {rng.choice(_SCAM_CHANNELS)} {_handle(rng)}"
            if rng.random() < 0.5
            else f"Details: {_spam_url(rng)}"
        )
        comments.append(
            f"I earn {amount} {period} from home with my laptop, no experience. {contact}"
        )
    for _ in range(10):
        comments.append(
            f"I lost ${rng.randint(5, 90)},000 to a fake trading platform until {rng.choice(_SCAMMERS)} "
            f"recovered it all. Contact on {rng.choice(_SCAM_CHANNELS)} {_phone(rng)}"
        )
    for _ in range(10):
        drug = _obfuscate(rng.choice(_DRUGS), rng)
        comments.append(
            f"Buy {drug} {rng.choice(('10mg', '50mg', '100mg', ''))} online, "
            f"{rng.choice(('no prescription', 'overnight delivery', 'discreet packaging', 'lowest price'))}. "
            f"{rng.choice(('Order now', 'WhatsApp ' + _phone(rng), 'Visit ' + _spam_url(rng)))}"
        )
    for _ in range(8):
        comments.append(
            f"{rng.choice(('Bad credit?', 'Need cash fast?', 'Behind on bills?', 'Loan refused?'))} "
            f"Get up to ${rng.randint(1, 50)},000 today, instant approval. "
            f"Call {_phone(rng)}"
        )
    for _ in range(6):
        comments.append(" ".join(_spam_url(rng) for _ in range(rng.randint(1, 3))))
    return comments


def labelled_corpus() -> list[Example]:
    """Return the whole corpus: the hand-written core, then the templated comments."""
    rng = random.Random(20241125)  # noqa: S311 -- a fixed seed makes the same corpus every time
    ham = [*HAM, *_templated_ham(rng)]
    spam = [*SPAM, *_templated_spam(rng)]
    examples = [Example(text, False) for text in ham] + [Example(text, True) for text in spam]
    seen: set[str] = set()
    unique = []
    for example in examples:
        if example.text not in seen:
            seen.add(example.text)
            unique.append(example)
    return unique


def is_held_out(text: str) -> bool:
    """Tell whether a comment belongs to the held-out quarter of the corpus."""
    return hashlib.sha256(text.encode()).digest()[0] % 4 == 0


def split_corpus() -> tuple[list[Example], list[Example]]:
    """Split the corpus into training (about 75%) and held-out examples, the same every time."""
    corpus = labelled_corpus()
    return (
        [example for example in corpus if not is_held_out(example.text)],
        [example for example in corpus if is_held_out(example.text)],
    )


def is_hand_written(text: str) -> bool:
    """Tell whether a comment is one of the hand-written core rather than templated."""
    return text in _HAND_WRITTEN


_HAND_WRITTEN = frozenset(HAM) | frozenset(SPAM)
